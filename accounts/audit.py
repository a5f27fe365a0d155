"""Writing to the append-only audit log. Every service that changes who can do what calls this."""

from typing import Any

from django.db import models
from django_scopes import scopes_disabled


class AuditAction(models.TextChoices):
    """Every kind of row the audit log holds. The values are stored, so never change one: add a member.

    Apps later in the dependency order (partnerships, ...) write these; the log lives here, so the
    list does too, and `audit_record` accepts nothing else.
    """

    ACCOUNT_SIGNED_IN = "account.signed_in", "Signed in"
    ACCOUNT_SIGN_IN_FAILED = "account.sign_in_failed", "Sign-in failed"
    PERSON_ERASED = "account.person_erased", "A person's details erased"

    PARTNERSHIP_CREATED = "partnership.created", "Partnership created"
    PARTNERSHIP_SETTINGS_CHANGED = "partnership.settings_changed", "Partnership settings changed"
    CONSTITUTION_CHANGED = "constitution.changed", "Constitution changed"
    TERMS_CHANGED = "terms.changed", "Term dates changed"

    ROLE_STARTED = "role.started", "Role started"
    ROLE_ENDED = "role.ended", "Role ended"
    # Written once, by the migration to inclusive end dates, for roles that were never in force.
    ROLE_REMOVED_NEVER_IN_FORCE = "role.removed_never_in_force", "Role removed: never in force"
    GRANT_GIVEN = "grant.given", "Access given"
    GRANT_WITHDRAWN = "grant.withdrawn", "Access withdrawn"

    INVITATION_CREATED = "invitation.created", "Invitation sent"
    INVITATION_WITHDRAWN = "invitation.withdrawn", "Invitation withdrawn"
    INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted"

    MEMBERSHIP_JOINED = "membership.joined", "School joined"
    MEMBERSHIP_NOTICE_RECEIVED = "membership.notice_received", "Notice of leaving received"
    MEMBERSHIP_NOTES_CHANGED = "membership.notes_changed", "Withdrawal notes changed"

    ELECTION_RECORDED = "election.recorded", "Election recorded"

    ROTA_CREATED = "rota.created", "Strategy group rota created"
    ROTA_BUILT = "rota.built", "Strategy group rota built"
    ROTA_SEAT_CHANGED = "rota.seat_changed", "Strategy group seat changed"
    ROTA_CONFIRMED = "rota.confirmed", "Strategy group rota confirmed"
    ROTA_ROLES_SET = "rota.roles_set", "Strategy group roles set from the rota"

    GROUP_CREATED = "group.created", "Group created"
    GROUP_CHANGED = "group.changed", "Group changed"
    GROUP_HOST_SET = "group.host_set", "Group host school set"
    GROUP_MEMBER_ADDED = "group.member_added", "Group member added"
    GROUP_MEMBER_REMOVED = "group.member_removed", "Group member removed"

    DEVELOPMENT_AREA_CREATED = "development.area_created", "Development area created"
    DEVELOPMENT_AREA_CHANGED = "development.area_changed", "Development area changed"
    DEVELOPMENT_ACTION_ADDED = "development.action_added", "Development action added"
    DEVELOPMENT_ACTION_CHANGED = "development.action_changed", "Development action changed"
    DEVELOPMENT_MILESTONE_ADDED = "development.milestone_added", "Development milestone added"
    DEVELOPMENT_MILESTONE_CHANGED = "development.milestone_changed", "Development milestone changed"
    DEVELOPMENT_PARTICIPATION_ADDED = "development.participation_added", "School joined a development area"
    DEVELOPMENT_LEAD_CHANGED = "development.lead_changed", "Development area lead changed"
    DEVELOPMENT_PARTICIPATION_REMOVED = "development.participation_removed", "School left a development area"

    INTERESTS_DECLARED = "interests.declared", "Interests declared"
    INTERESTS_REMINDERS_REQUESTED = "interests.reminders_requested", "Interest reminders requested"
    INTERESTS_REMINDED = "interests.reminded", "Reminded to declare interests"

    SCHOOLS_REGISTER_IMPORTED = "schools.register_imported", "School register imported"
    SCHOOLS_CENSUS_RECORDED = "schools.census_recorded", "Census figures recorded"
    SCHOOLS_CENSUS_IMPORTED = "schools.census_imported", "Census figures imported"
    SCHOOLS_BUDGET_RECORDED = "schools.budget_recorded", "Budget recorded"
    SCHOOLS_PERSON_ADDED = "schools.person_added", "Person added"
    SCHOOLS_PERSON_CHANGED = "schools.person_changed", "Person changed"
    SCHOOLS_PERSON_REMOVED = "schools.person_removed", "Person removed"
    SCHOOLS_PERSON_LINKED = "schools.person_linked", "Person linked to an account"

    MEETING_SCHEDULED = "meeting.scheduled", "Meeting scheduled"
    MEETING_CHANGED = "meeting.changed", "Meeting changed"
    MEETING_CANCELLED = "meeting.cancelled", "Meeting cancelled"
    MEETING_INVITEE_ADDED = "meeting.invitee_added", "Invited to a meeting"
    MEETING_INVITEE_REMOVED = "meeting.invitee_removed", "Taken off a meeting"
    MEETING_ANSWERED = "meeting.answered", "Answered a meeting invitation"
    MEETING_ATTENDANCE_RECORDED = "meeting.attendance_recorded", "Attendance recorded"
    AGENDA_ITEM_ADDED = "agenda.item_added", "Agenda item added"
    AGENDA_ITEM_CHANGED = "agenda.item_changed", "Agenda item changed"
    AGENDA_ITEM_REMOVED = "agenda.item_removed", "Agenda item removed"
    AGENDA_ITEM_MOVED = "agenda.item_moved", "Agenda item moved"
    AGENDA_AGREED = "agenda.agreed", "Agenda agreed"
    AGENDA_PUBLISHED = "agenda.published", "Agenda and papers published"
    PAPERS_DEADLINE_SET = "agenda.papers_deadline_set", "Papers deadline set"
    PAPER_UPLOADED = "agenda.paper_uploaded", "Paper added"
    PAPER_REMOVED = "agenda.paper_removed", "Paper removed"
    PAPER_READ = "agenda.paper_read", "Confidential paper opened"
    MEETING_REMINDED = "meeting.reminded", "Reminded to answer an invitation"
    PAPERS_REMINDED = "agenda.papers_reminded", "Reminded that a paper is due"
    MINUTES_NOTES_SAVED = "minutes.notes_saved", "Minutes: an item's notes saved"
    DECISION_RECORDED = "minutes.decision_recorded", "Decision minuted"
    ACTION_ADDED = "minutes.action_added", "Action point agreed"
    ACTION_DONE = "minutes.action_done", "Action point done"
    ACTION_REMINDED = "minutes.action_reminded", "Reminded of an action point"
    MINUTES_CIRCULATED = "minutes.circulated", "Minutes circulated"
    MINUTES_APPROVED = "minutes.approved", "Minutes approved"
    FOLLOW_UP_RECORDED = "meeting.follow_up_recorded", "Non-representation followed up"
    CALENDAR_LINK_CREATED = "calendar.link_created", "Calendar link made"
    CALENDAR_LINK_STOPPED = "calendar.link_stopped", "Calendar link stopped"
    MEETING_SERIES_SCHEDULED = "meeting.series_scheduled", "Series of meetings scheduled"
    MEETING_NOTICE_RESENT = "meeting.notice_resent", "Meeting notice sent again"
    FINANCIAL_YEAR_OPENED = "finance.year_opened", "Financial year opened"
    CONTRIBUTION_SCHEME_SET = "finance.scheme_set", "Contribution scheme set"
    FINANCIAL_YEAR_CLOSED = "finance.year_closed", "Financial year closed"
    BUDGET_CHANGED = "finance.budget_changed", "Budget changed"
    CONTRIBUTION_REQUESTS_CONFIRMED = "finance.requests_confirmed", "Requests for contribution confirmed"
    CONTRIBUTION_REQUEST_ADDED = "finance.request_added", "Request for contribution added"
    SHARED_COST_SET_OUT = "finance.cost_set_out", "Shared cost set out"
    SHARED_COST_CONFIRMED = "finance.cost_confirmed", "Shared cost requests made"
    CONTRIBUTION_REMINDED = "finance.contribution_reminded", "Reminded of an overdue contribution"
    PAYMENT_RECORDED = "finance.payment_recorded", "Payment recorded"
    PAYMENT_REVERSED = "finance.payment_reversed", "Payment reversed"
    LEDGER_ENTRY_RECORDED = "finance.entry_recorded", "Ledger entry recorded"
    LEDGER_ENTRY_REVERSED = "finance.entry_reversed", "Ledger entry reversed"
    EXPENSE_RECORDED = "finance.expense_recorded", "Spending recorded"
    GRANT_RECORDED = "finance.grant_recorded", "Grant recorded"
    GRANT_ALLOCATED = "finance.grant_allocated", "Grant allocated"
    AGREEMENT_DRAFTED = "agreement.drafted", "Agreement version drafted"
    AGREEMENT_SECTION_CHANGED = "agreement.section_changed", "Agreement section changed"
    AGREEMENT_TERM_SET = "agreement.term_set", "Agreement term set"
    AGREEMENT_SIGNATORIES_SET = "agreement.signatories_set", "Agreement signatories set"
    AGREEMENT_PUBLISHED = "agreement.published", "Agreement version published"
    AGREEMENT_RENEWED = "agreement.renewed", "Agreement renewal drafted"
    AGREEMENT_COPIES_MADE = "agreement.copies_made", "Agreement copies made for signing"
    AGREEMENT_SIGNED = "agreement.signed", "Agreement signed"
    AGREEMENT_SEALED = "agreement.sealed", "Signed agreement sealed"
    AGREEMENT_VOIDED = "agreement.voided", "Unsigned agreement copy replaced"
    AGREEMENT_SCAN_UPLOADED = "agreement.scan_uploaded", "Agreement signed on paper uploaded"
    AGREEMENT_SCAN_CONFIRMED = "agreement.scan_confirmed", "Agreement signed on paper confirmed"
    AGREEMENT_SCAN_REJECTED = "agreement.scan_rejected", "Agreement signed on paper sent back"
    AGREEMENT_REMINDED = "agreement.reminded", "Reminded to sign the agreement"
    AGREEMENT_EXPIRY_REMINDED = "agreement.expiry_reminded", "Reminded that the agreement ends soon"
    PLAN_CREATED = "subscriptions.plan_created", "Subscription plan set up"
    SUBSCRIPTION_STARTED = "subscriptions.started", "School subscribed"
    BOOKING_MADE = "subscriptions.booking_made", "Activity booked with credits"
    BOOKING_CANCELLED = "subscriptions.booking_cancelled", "Booking cancelled"
    BOOKING_ACTUALS_RECORDED = "subscriptions.actuals_recorded", "Actual time of a booking recorded"
    EVENT_CREATED = "subscriptions.event_created", "Event set up"
    EVENT_CHANGED = "subscriptions.event_changed", "Event changed"
    EVENT_PLACES_BOOKED = "subscriptions.places_booked", "Places booked at an event"
    EVENT_PLACES_CANCELLED = "subscriptions.places_cancelled", "Places at an event cancelled"
    EVENT_WAITING = "subscriptions.waiting", "Put on an event's waiting list"
    EVENT_PLACE_OFFERED = "subscriptions.place_offered", "A freed place offered from the waiting list"
    EVENT_ATTENDANCE_RECORDED = "subscriptions.event_attendance", "Attendance at an event recorded"
    EVENT_INVOICED = "subscriptions.event_invoiced", "Event places invoiced"
    PLAN_FORUMS_SET = "subscriptions.plan_forums_set", "Places per school at a plan's forums set"
    EVENT_CANCELLED = "subscriptions.event_cancelled", "Event cancelled"
    EVENT_OFFER_ACCEPTED = "subscriptions.offer_accepted", "Offered places at an event accepted"
    EVENT_OFFER_DECLINED = "subscriptions.offer_declined", "Offered places at an event declined"
    EVENT_OFFER_LAPSED = "subscriptions.offer_lapsed", "Offered places at an event not taken in time"
    EVENT_ATTENDEES_NAMED = "subscriptions.attendees_named", "Who is coming to an event named"
    VISIT_RECORDED = "subscriptions.visit_recorded", "Note of visit recorded"
    VISIT_CHANGED = "subscriptions.visit_changed", "Note of visit changed"
    VISIT_NOTE_VIEWED = "subscriptions.visit_viewed", "Note of visit read"
    VISIT_NOTE_SHARED = "subscriptions.visit_shared", "Note of visit shared"
    REVIEW_DRAFTED = "subscriptions.review_drafted", "Joint Annual Review drafted"
    REVIEW_SENT = "subscriptions.review_sent", "Joint Annual Review sent to the headteacher"
    REVIEW_CONFIRMED = "subscriptions.review_confirmed", "Joint Annual Review confirmed"
    REVIEW_RETURNED = "subscriptions.review_returned", "Joint Annual Review returned with comments"
    REVIEW_SUBMITTED = "subscriptions.review_submitted", "Joint Annual Review submitted"
    REVIEW_READ = "subscriptions.review_read", "Joint Annual Review read"
    PEP_PLAN_CREATED = "subscriptions.pep_plan_created", "PEP headteacher's plan set up"
    PEP_OUTCOME_ADDED = "subscriptions.pep_outcome_added", "PEP outcome and milestones agreed"
    PEP_MILESTONE_MET = "subscriptions.pep_milestone_met", "PEP milestone met"
    PEP_CPD_RECORDED = "subscriptions.pep_cpd_recorded", "PEP CPD recorded"
    PEP_SUPPORT_RECORDED = "subscriptions.pep_support_recorded", "Leadership support day recorded"
    PEP_PANEL_MEMBER_ADDED = "subscriptions.pep_panel_member_added", "PEP panel member added"
    PEP_ANNUAL_REVIEW_RECORDED = "subscriptions.pep_annual_review", "PEP annual review recorded"
    TARIFF_ITEM_SAVED = "subscriptions.tariff_item_saved", "Tariff changed"
    BOOKING_DELEGATION_GIVEN = "subscriptions.delegation_given", "Colleague named to book for the school"
    BOOKING_DELEGATION_WITHDRAWN = "subscriptions.delegation_withdrawn", "Colleague's booking for the school withdrawn"
    API_TOKEN_CREATED = "reports.api_token_created", "API token created"
    API_TOKEN_REVOKED = "reports.api_token_revoked", "API token revoked"

    GOVERNORS_REPORT_GENERATED = "reports.governors_report_generated", "Governors' report generated"
    GOVERNORS_REPORT_RELEASED = "reports.governors_report_released", "Governors' report released"
    REPORT_RUN_STARTED = "reports.run_started", "Governors' reports started for a term"
    REPORT_SETTINGS_CHANGED = "reports.settings_changed", "Governors' report settings changed"
    TERM_SUMMARY_SAVED = "reports.term_summary_saved", "Term's priorities and impact saved"
    ANNUAL_REPORT_GENERATED = "reports.annual_report_generated", "Annual partnership report generated"


def audit_record(
    *,
    actor,
    action: AuditAction,
    summary: str,
    partnership=None,
    data: dict[str, Any] | None = None,
    subject: models.Model | None = None,
):
    """Append one row. `action` must be an AuditAction member: a bare string (a typo, an action nobody
    listed) is refused, so the log only ever holds kinds of row that can be searched for. `subject` is
    the saved object the row is about, so that one object's trail can be found."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit_record needs an AuditAction member, not {action!r}")
    # Imported here: accounts.models takes AuditAction from this module for the field's choices.
    from accounts.models import AuditEvent

    # Writing a row with an explicit partnership cannot leak another tenant's data; sign-ins have
    # no partnership and happen outside any scope, so creation is done with scopes off.
    with scopes_disabled():
        return AuditEvent.objects.create(
            partnership=partnership,
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            summary=summary[:300],
            data=data or {},
            **subject_fields(subject),
        )


def subject_fields(subject: models.Model | None) -> dict[str, Any]:
    """The columns that name an audit row's subject: its model's label ("meetings.meeting"), its key and
    what it was called when the row was written (the label survives the object's renaming)."""
    if subject is None:
        return {}
    if subject.pk is None:
        raise ValueError("An audit row's subject must be saved first")
    return {
        "subject_type": subject._meta.label_lower,
        "subject_id": subject.pk,
        "subject_label": str(subject)[:200],
    }
