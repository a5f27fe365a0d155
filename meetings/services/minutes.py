"""Minutes built from the meeting's record, and the action points agreed at it.

The note-taker (or the coordinator) writes each item's notes and records its decisions and actions on
the day or after it; the minutes are then circulated to everyone invited (and to the local authority
where the agreement says so), and approved as a true record at a later meeting of the same kind, whose
own minutes show the approval. A decision taken while the meeting was not quorate, by the agreement's
rule, is flagged when it is recorded. Who may do what is `meetings.selectors.MeetingAccess`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.outbox import outbox_enqueue
from meetings.models import ActionPoint, AgendaItem, FollowUp, Meeting, Minutes
from meetings.selectors import absence_flags, attendance_sheet, meeting_access, meeting_invitees
from meetings.services.scheduling import _has_role_on, when_label
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role, permissions_for
from partnerships.selectors.constitution import constitution_of
from schools.models import School

MINUTES = "meeting.minutes"

# The longest a note, decision or action may be: several pages of text.
MAX_TEXT = 20000


def _meeting_for_minutes(actor: User, meeting: Meeting) -> tuple[Meeting, Minutes]:
    """The meeting, locked, and its minutes (made on first use), if `actor` may change them now."""
    meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled, so it has no minutes")
    if timezone.localtime(meeting.starts).date() > timezone.localdate():
        raise ValidationError("Minutes are written on the day of the meeting or after it")
    if not meeting_access(actor, meeting).may_take_minutes:
        raise ValidationError("Only the meeting's note-taker or the coordinator writes its minutes")
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(
            f"The minutes are {minutes.get_status_display().lower()}: corrections are agreed when they are approved"
        )
    return meeting, minutes


def _text(value: str, field: str, empty: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: empty})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: f"Keep this to {MAX_TEXT} characters or fewer"})
    return value


@transaction.atomic
def minutes_notes_save(*, actor: User, item: AgendaItem, notes: str) -> AgendaItem:
    """Write (or rewrite) an agenda item's notes in the draft minutes."""
    meeting, _ = _meeting_for_minutes(actor, item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    notes = notes.strip()
    if len(notes) > MAX_TEXT:
        raise ValidationError({"notes": f"Keep the notes to {MAX_TEXT} characters or fewer"})
    if notes == item.notes:
        return item
    AgendaItem.objects.filter(pk=item.pk).update(notes=notes)
    item.refresh_from_db()
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MINUTES_NOTES_SAVED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: notes of {item.title} saved",
        data={"meeting": meeting.pk, "item": item.pk, "length": len(notes)},
    )
    return item


def _vote(value: int | None, field: str) -> int | None:
    if value is not None and not 0 <= value <= 1000:
        raise ValidationError({field: "Enter a number of votes from 0 to 1000"})
    return value


@transaction.atomic
def decision_record(
    *,
    actor: User,
    item: AgendaItem,
    text: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
) -> AgendaItem:
    """Minute a decision under an item, with the vote if one was taken; flagged if the meeting is not
    quorate as it is recorded."""
    meeting, _ = _meeting_for_minutes(actor, item.meeting)
    text = _text(text, "text", "Write the decision, for example: Agreed the budget for 2027-28")
    counts = {
        "votes_for": _vote(votes_for, "votes_for"),
        "votes_against": _vote(votes_against, "votes_against"),
        "abstentions": _vote(abstentions, "abstentions"),
    }
    quorum = attendance_sheet(meeting)["quorum"]
    inquorate = quorum.applies and not quorum.is_quorate
    decision = AgendaItem.objects.get(pk=item.pk).decisions.create(
        text=text, inquorate=inquorate, recorded_by=actor, **counts
    )
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.DECISION_RECORDED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: decision under {item.title}" + (" (not quorate)" if inquorate else ""),
        data={"meeting": meeting.pk, "item": item.pk, "decision": decision.pk, "inquorate": inquorate, **counts},
    )
    return decision.item


def action_validate(*, meeting: Meeting, description: str, owner: User | None, due: datetime.date | None) -> None:
    """The rules an action point must meet; raises ValidationError by field."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Describe the action: what is to be done"
    elif len(description.strip()) > MAX_TEXT:
        errors["description"] = f"Keep the action to {MAX_TEXT} characters or fewer"
    day = timezone.localtime(meeting.starts).date()
    if owner is None:
        errors["owner"] = "Choose who will do it: every action has an owner"
    elif not _has_role_on(meeting.partnership, owner, day):
        errors["owner"] = f"{owner} has no role in the partnership on the day of the meeting"
    if due is None:
        errors["due"] = "Enter the date it is due"
    elif due < day:
        errors["due"] = "The due date cannot be before the meeting"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_add(
    *,
    actor: User,
    meeting: Meeting,
    description: str,
    owner: User | None,
    due: datetime.date | None,
    item: AgendaItem | None = None,
) -> ActionPoint:
    """Record an action agreed at the meeting, under an item or for the meeting as a whole."""
    meeting, _ = _meeting_for_minutes(actor, meeting)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting's agenda"})
    action_validate(meeting=meeting, description=description, owner=owner, due=due)
    action = ActionPoint.objects.create(
        meeting=meeting, item=item, description=description.strip(), owner=owner, due=due, created_by=actor
    )
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.ACTION_ADDED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: action for {owner}, due {due:%-d %B %Y}",
        data={"meeting": meeting.pk, "action": action.pk, "owner": owner.pk, "due": due.isoformat()},
    )
    return action


def may_close_action(user: User, action: ActionPoint) -> bool:
    """The action's owner marks it done, or the coordinator."""
    return action.owner_id == user.pk or meeting_access(user, action.meeting).manages


@transaction.atomic
def action_done(*, actor: User, action: ActionPoint, note: str) -> ActionPoint:
    """Mark an action done, with a note of what was done."""
    action = ActionPoint.objects.select_for_update().select_related("meeting__partnership").get(pk=action.pk)
    if not may_close_action(actor, action):
        raise ValidationError("Only the action's owner or the coordinator marks it done")
    if action.status == ActionPoint.Status.DONE:
        raise ValidationError("This action is already done")
    note = _text(note, "note", "Say what was done, so the next meeting can note it")
    ActionPoint.objects.filter(pk=action.pk).update(
        status=ActionPoint.Status.DONE, done_note=note, done_at=timezone.now(), done_by=actor
    )
    action.refresh_from_db()
    audit_record(
        subject=action.meeting,
        actor=actor,
        action=AuditAction.ACTION_DONE,
        partnership=action.meeting.partnership,
        summary=f"Action from {action.meeting.title} done: {action.description[:60]}",
        data={"meeting": action.meeting_id, "action": action.pk},
    )
    return action


def _minutes_readers(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, email) of everyone the circulated minutes go to: those invited, and the local authority's
    observers where the agreement sends them the minutes."""
    readers = {i.email.lower(): i.name for i in meeting_invitees(meeting) if i.email}
    if constitution_of(meeting.partnership).minutes_to_local_authority:
        day = timezone.localdate()
        for role in (
            RoleAssignment.objects.filter(partnership=meeting.partnership, role=Role.LA_OBSERVER)
            .active(day)
            .select_related("user")
        ):
            readers.setdefault(role.user.email.lower(), role.user.full_name or role.user.email)
    return sorted((name, email) for email, name in readers.items())


@transaction.atomic
def minutes_circulate(*, actor: User, meeting: Meeting) -> Minutes:
    """Circulate the draft minutes: everyone invited (and the local authority, where the agreement says
    so) is told they are ready to read."""
    meeting, minutes = _meeting_for_minutes(actor, meeting)
    if meeting.ends > timezone.now():
        raise ValidationError("The meeting has not finished: circulate its minutes once it has")
    if not meeting.items.exclude(notes="").exists() and not meeting.attendance.exists():
        raise ValidationError("There is nothing to circulate yet: record attendance and the items' notes first")
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.CIRCULATED, circulated_at=timezone.now(), circulated_by=actor
    )
    minutes.refresh_from_db()
    path = f"/p/{meeting.partnership.slug}/meetings/{meeting.pk}/minutes/"
    readers = _minutes_readers(meeting)
    for name, email in readers:
        outbox_enqueue(
            about=f"meeting:{meeting.pk}",
            kind=MINUTES,
            recipient=email,
            subject=f"Minutes for you to read: {meeting.title}, {when_label(meeting)}",
            template="meetings/email/minutes",
            context={"meeting": meeting, "name": name, "when": when_label(meeting), "path": path},
        )
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MINUTES_CIRCULATED,
        partnership=meeting.partnership,
        summary=f"Minutes of {meeting.title} circulated to {len(readers)} people",
        data={"meeting": meeting.pk, "readers": len(readers)},
    )
    return minutes


@transaction.atomic
def minutes_approve(*, actor: User, minutes: Minutes, at_meeting: Meeting | None) -> Minutes:
    """Approve circulated minutes as a true record at a later meeting of the same kind, on the day of
    that meeting or after it; that meeting's minutes then show the approval."""
    minutes = Minutes.objects.select_for_update().select_related("meeting__partnership").get(pk=minutes.pk)
    meeting = minutes.meeting
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(
            f"These minutes were already approved at {minutes.approved_at_meeting}; minutes are approved once"
        )
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError("Circulate the minutes before they are approved: everyone must have read them")
    if at_meeting is None:
        raise ValidationError({"at_meeting": "Choose the meeting that approved the minutes"})
    access = meeting_access(actor, at_meeting)
    if not (access.manages or access.chairs):
        raise ValidationError("Only the chair of the approving meeting, or the coordinator, records the approval")
    if (
        at_meeting.partnership_id != meeting.partnership_id
        or at_meeting.kind != meeting.kind
        or at_meeting.group_id != meeting.group_id
        or at_meeting.starts <= meeting.starts
        or at_meeting.is_cancelled
    ):
        raise ValidationError({"at_meeting": "Choose a later meeting of the same kind, which was held"})
    if timezone.localtime(at_meeting.starts).date() > timezone.localdate():
        raise ValidationError({"at_meeting": "Minutes are approved at a meeting that has taken place"})
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.APPROVED, approved_at=timezone.now(), approved_by=actor, approved_at_meeting=at_meeting
    )
    minutes.refresh_from_db()
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MINUTES_APPROVED,
        partnership=meeting.partnership,
        summary=f"Minutes of {meeting.title} approved at {at_meeting.title}",
        data={"meeting": meeting.pk, "minutes": minutes.pk, "at_meeting": at_meeting.pk},
    )
    return minutes


def may_follow_up(roles) -> bool:
    """The chair follows up a school's continued non-representation (Exeter 5.1); the coordinator may
    record it for them. `roles`: the person's roles in force in the partnership."""
    return any(role.role == Role.CHAIR for role in roles) or "manage_meetings" in permissions_for(roles)


def _roles_in_force(user: User, partnership: Partnership) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.filter(partnership=partnership, user=user).active())


@transaction.atomic
def follow_up_record(*, actor: User, partnership: Partnership, school: School, note: str) -> FollowUp:
    """Record the chair's follow-up of a school flagged for missing partnership meetings in a row."""
    if not may_follow_up(_roles_in_force(actor, partnership)):
        raise ValidationError("Only the chair, or the coordinator for them, records the follow-up")
    flag = next(iter(absence_flags(partnership, timezone.now(), school=school)), None)
    if flag is None:
        raise ValidationError(f"{school.name} has not missed enough partnership meetings in a row to follow up")
    if flag.follow_up is not None:
        raise ValidationError(f"The follow-up of {school.name}'s absences is already recorded")
    note = _text(note, "note", "Say what the chair did and found, for example: spoke to the headteacher")
    follow_up = FollowUp.objects.create(
        partnership=partnership, school=school, last_absence=flag.last_absence, note=note, recorded_by=actor
    )
    audit_record(
        subject=school,
        actor=actor,
        action=AuditAction.FOLLOW_UP_RECORDED,
        partnership=partnership,
        summary=f"{school.name}: absences from {flag.count} partnership meetings followed up",
        data={"school": school.pk, "follow_up": follow_up.pk, "meetings": [m.pk for m in flag.meetings]},
    )
    return follow_up
