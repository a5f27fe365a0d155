"""Every use case in partnerships.services, meetings.services and finance.services is found by introspection, takes
keyword-only typed arguments with the acting user, and writes an audit row when it changes something.

A use case is a public function of a services module that takes `actor`. The registry
below says how to call each one with valid arguments; a new use case without an entry, or one that
changes state without an audit row, fails here. A public function without `actor` must be listed in
NOT_USE_CASES with the reason it is not one (it validates, reads, or saves defaults nobody decided).
"""

import datetime
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

import finance.services
import meetings.services
import partnerships.services
import reports.services
import subscriptions.services
from accounts.models import AuditEvent, User
from partnerships.calendar import academic_year_of
from partnerships.models import Constitution, Group, Membership, RotaSeat
from partnerships.roles import Role
from partnerships.selectors.governance import term_on_or_after
from partnerships.services.grants import object_grant
from reports.services.tokens import api_token_create
from schools.models import Person, School
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.partnerships import (
    TERM_DATES,
    AreaParticipationFactory,
    DevelopmentActionFactory,
    DevelopmentAreaFactory,
    DevelopmentMilestoneFactory,
    GroupFactory,
    GroupMemberFactory,
    make_rota,
    make_terms,
    member_school_with_head,
)
from tests.factories.schools import PersonFactory, SchoolFactory, csv_bytes, gias_row

D = datetime.date

NOT_USE_CASES = {
    "subscriptions.credits.credit_append": "appends inside the calling use case, which audits",
    "subscriptions.bookings.refund_due": "a rule: whether a cancellation is refunded",
    "subscriptions.bookings.booking_validate": "validates",
    "subscriptions.plans.credits_lapse": "the system lapses a year's unspent credits (the ledger entry is the record)",
    "subscriptions.places.places_check": "validates, and says what the places would cost",
    "subscriptions.places.places_cost": "a rule: what places cost",
    "subscriptions.places.places_taken": "reads",
    "subscriptions.places.offer_hold": "a setting: how long an offer is held",
    "subscriptions.places.taken_filter": "a rule: which places count as taken",
    "subscriptions.places.offers_expire": "the system lapses offers not taken in time (audited, no actor)",
    "subscriptions.places.refund_due": "a rule: whether a cancellation is refunded",
    "signing.agreement_copies_make": "the system makes the copies a publish asked for (audited, no actor)",
    "signing.agreement_copy_seal": "the system seals a copy once its last signer signed (audited, no actor)",
    "signing.new_identifier": "makes a random identifier",
    "finance.ledger.ledger_post": "posts an entry inside the calling use case, which audits",
    "finance.ledger.reverse_entry": "posts a correction inside the calling use case, which audits",
    "finance.ledger.administration_line": "reads",
    "finance.ledger.admin_fixed_amount_post": "posts the scheme's fixed share inside the use case that set it",
    "finance.spending.receipt_validate": "validates",
    "constitution.constitution_validate": "validates",
    "groups.group_validate": "validates",
    "meetings.agenda.agenda_item_validate": "validates",
    "meetings.agenda.paper_validate": "validates",
    "meetings.minutes.action_validate": "validates",
    "meetings.minutes.may_close_action": "a rule: who marks an action done",
    "meetings.minutes.may_follow_up": "a rule: who follows up a school's absences",
    "meetings.scheduling.may_record_attendance": "a rule: who records attendance",
    "meetings.scheduling.may_substitute": "a rule: who may stand in for whom",
    "meetings.scheduling.meeting_validate": "validates",
    "meetings.scheduling.when_label": "words for a page",
    "meetings.series.half_terms_of": "reads",
    "meetings.series.meeting_series_plan": "plans: the dates a series would have, for its check page",
    "invitations.invitation_from_token": "reads",
    "membership.leaving_date": "a calculation",
    "membership.letter_validate": "validates",
    "membership.notice_explanation": "words for a page",
    "membership.refund_statement": "words for a page",
    "partnerships.partnership_prepare": "saves the defaults every partnership has (constitution, terms)",
    "roles.role_validate": "validates",
    "strategy.rota_eligibility": "reads",
    "strategy.rota_plan_next": "reads (a saved term for its foreign key, as term_saved)",
    "terms.term_saved": "saves the calendar's default terms, which nobody decided",
    "terms.terms_ensure": "saves the calendar's default terms, which nobody decided",
    "terms.terms_validate": "validates",
    "reports.governors.report_run_progress": "counts a run's reports, each audited when it was generated",
}


def _service_modules():
    """Each services module, with the name the registry knows it by ("offices", "meetings")."""
    for info in pkgutil.iter_modules(partnerships.services.__path__):
        yield info.name, importlib.import_module(f"partnerships.services.{info.name}")
    for info in pkgutil.iter_modules(meetings.services.__path__):
        yield f"meetings.{info.name}", importlib.import_module(f"meetings.services.{info.name}")
    for info in pkgutil.iter_modules(finance.services.__path__):
        yield f"finance.{info.name}", importlib.import_module(f"finance.services.{info.name}")
    for info in pkgutil.iter_modules(subscriptions.services.__path__):
        yield f"subscriptions.{info.name}", importlib.import_module(f"subscriptions.services.{info.name}")
    for info in pkgutil.iter_modules(reports.services.__path__):
        yield f"reports.{info.name}", importlib.import_module(f"reports.services.{info.name}")


def public_functions() -> dict[str, Callable]:
    """Every public function defined in a services module, as "module.function"."""
    found = {}
    for label, module in _service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                found[f"{label}.{name}"] = function
    return found


def use_cases() -> dict[str, Callable]:
    return {name: f for name, f in public_functions().items() if "actor" in inspect.signature(f).parameters}


# --- How to call each use case: a function of the tenant (tests/conftest.py) returning its arguments --------


def _area(t):
    return DevelopmentAreaFactory(partnership=t.partnership)


def _person(t, **kwargs):
    return PersonFactory(partnership=t.partnership, school=t.schools[0], **kwargs)


def _membership(t):
    return Membership.objects.get(partnership=t.partnership, school=t.schools[0])


def _group(t):
    return GroupFactory(partnership=t.partnership, chair=_person(t))


def _strategy_group(t) -> dict[str, School]:
    """Member schools A..E (primary) and X (secondary) with heads; the tenant's own schools left long ago."""
    Membership.objects.filter(partnership=t.partnership, school__in=t.schools).update(left=D(2020, 9, 1))
    schools = {}
    for name, phase in [(n, School.Phase.PRIMARY) for n in "ABCDE"] + [("X", School.Phase.SECONDARY)]:
        schools[name], _ = member_school_with_head(
            t.partnership, phase=phase, name=f"{name} School", joined=D(2010, 9, 1)
        )
    return schools


def _rota(t, confirmed=False):
    s = _strategy_group(t)
    term = term_on_or_after(t.partnership, timezone.localdate())
    return make_rota(t.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=term, confirmed=confirmed), s


def _meeting_details(t) -> dict:
    starts = (timezone.localtime() + datetime.timedelta(days=30)).replace(hour=16, minute=0, second=0, microsecond=0)
    return {
        "title": "Partnership meeting",
        "starts": starts,
        "ends": starts + datetime.timedelta(hours=1),
        "venue_school": t.schools[0],
    }


def _meeting(t):
    from meetings.services.scheduling import meeting_schedule

    return meeting_schedule(actor=t.coordinator, partnership=t.partnership, kind="partnership", **_meeting_details(t))


def _meeting_today(t):
    from tests.factories.meetings import MeetingFactory

    now = timezone.now()
    return MeetingFactory(
        partnership=t.partnership,
        organiser=t.coordinator,
        starts=now - datetime.timedelta(minutes=5),
        ends=now + datetime.timedelta(hours=1),
    )


def _agenda_item(t, *, items: int = 1):
    """A meeting chaired by the coordinator with `items` agenda items; the last one."""
    from meetings.models import Meeting
    from tests.factories.meetings import AgendaItemFactory

    meeting = _meeting(t)
    Meeting.objects.filter(pk=meeting.pk).update(chair=t.coordinator)
    meeting.refresh_from_db()
    return [AgendaItemFactory(meeting=meeting, position=n) for n in range(1, items + 1)][-1]


def _agreed_agenda(t):
    from meetings.models import Meeting

    meeting = _agenda_item(t).meeting
    Meeting.objects.filter(pk=meeting.pk).update(agenda_status=Meeting.AgendaStatus.AGREED)
    meeting.refresh_from_db()
    return meeting


def _failed_notice(t):
    from core.models import OutboxMessage

    invitee = _meeting(t).invitees.get(user=t.headteacher)
    OutboxMessage.objects.filter(recipient=t.headteacher.email.lower()).update(state="failed", attempts=8)
    return {"actor": t.coordinator, "invitee": invitee}


def _paper(t):
    from tests.factories.meetings import paper_for

    return paper_for(_agenda_item(t), uploaded_by=t.coordinator)


def _former_head(t):
    """A headteacher whose role here has ended, and who has none anywhere else: theirs to erase."""
    from partnerships.models import RoleAssignment

    return RoleAssignment.objects.get(partnership=t.partnership, school=t.schools[1], end__isnull=False).user


def _confidential_paper(t):
    paper = _paper(t)
    paper.item.confidential = True
    paper.item.save()
    return paper


def _pdf_upload():
    from tests.factories.documents import pdf_bytes, upload

    return upload("Budget report.pdf", pdf_bytes())


def _held_meeting(t, *, ended: bool = True):
    """A partnership meeting that has taken place (or is under way), with an item and attendance."""
    from meetings.models import Attendance
    from tests.factories.meetings import AgendaItemFactory

    now = timezone.now()
    meeting = _meeting_today(t)
    if ended:
        meeting.starts, meeting.ends = now - datetime.timedelta(hours=3), now - datetime.timedelta(hours=1)
        meeting.save()
    AgendaItemFactory(meeting=meeting, position=1, title="Budget", notes="Discussed")
    Attendance.objects.create(meeting=meeting, school=t.schools[0], status="present", recorded_by=t.coordinator)
    return meeting


def _circulated_minutes(t):
    """Minutes circulated after last week's meeting, and this week's meeting that may approve them."""
    from meetings.models import Minutes

    earlier = _held_meeting(t)
    earlier.starts -= datetime.timedelta(days=7)
    earlier.ends -= datetime.timedelta(days=7)
    earlier.save()
    minutes = Minutes.objects.create(meeting=earlier, status="circulated", circulated_at=timezone.now())
    return {"actor": t.coordinator, "minutes": minutes, "at_meeting": _held_meeting(t, ended=False)}


def _absent_school(t):
    """The tenant's first school absent from the last two partnership meetings."""
    from meetings.models import Attendance

    for days in (14, 7):
        meeting = _held_meeting(t)
        meeting.starts -= datetime.timedelta(days=days)
        meeting.ends -= datetime.timedelta(days=days)
        meeting.save()
        Attendance.objects.filter(meeting=meeting).update(status="absent")
    return {"actor": t.coordinator, "partnership": t.partnership, "school": t.schools[0], "note": "Phoned the head"}


def _action(t):
    from meetings.models import ActionPoint

    meeting = _held_meeting(t)
    return ActionPoint.objects.create(
        meeting=meeting,
        description="Send the budget",
        owner=t.headteacher,
        due=timezone.localdate(),
        created_by=t.coordinator,
    )


def _with_calendar_link(t) -> dict:
    from meetings.services.scheduling import calendar_link_create

    calendar_link_create(actor=t.headteacher, partnership=t.partnership)
    return {"actor": t.headteacher, "partnership": t.partnership}


def _terms_dates(t):
    make_terms(t.partnership, years=(2025,))
    dates = {}
    for name, *days in TERM_DATES[2025]:
        for part, day in zip(("starts", "half_term_starts", "half_term_ends", "ends"), days, strict=True):
            dates[f"{name}_{part}"] = day
    dates["autumn_starts"] = D(2025, 9, 4)
    return dates


def _linkable(t):
    user = UserFactory(email="linked@school.example")
    _person(t, email="linked@school.example")
    return {"actor": user, "user": user, "partnership": t.partnership}


def _withdrawal(t):
    record = _membership(t)
    perm = "partnerships.view_membership"
    kwargs = {"partnership": t.partnership, "user": t.headteacher, "perm": perm, "obj": record}
    object_grant(actor=t.coordinator, **kwargs)
    return {"actor": t.coordinator, **kwargs}


def _constitution_change(t):
    current = Constitution.objects.get(partnership=t.partnership).leaving_notice_terms
    changes = {"leaving_notice_terms": 3 if current != 3 else 2}
    return {"actor": t.coordinator, "partnership": t.partnership, "changes": changes}


def _group_update(t):
    group = _group(t)
    return {
        "actor": t.coordinator,
        "group": group,
        "name": "Renamed network",
        "kind": Group.Kind.STANDING,
        "remit": "",
        "chairing": Group.Chairing.NAMED,
        "chair": group.chair,
        "host_school": None,
        "starts": group.starts,
        "ends": None,
        "reports_to": "The strategic group",
    }


def _seat_update(t):
    rota, s = _rota(t)
    seat = RotaSeat.objects.get(rota=rota, seat=2)
    return {"actor": t.coordinator, "seat": seat, "representative": s["D"], "reserve": s["B"], "substitute": None}


def _rota_create(t):
    s = _strategy_group(t)
    return {"actor": t.coordinator, "partnership": t.partnership, "seats": [(s["X"], s["C"]), (s["D"], s["E"])]}


def _rota_build(t):
    rota, _ = _rota(t, confirmed=True)
    return {"actor": t.coordinator, "partnership": t.partnership}


def _roles_follow(t):
    rota, s = _rota(t, confirmed=True)  # made directly: its roles start when the school's leaders are followed
    return {"actor": t.coordinator, "partnership": t.partnership, "school": s["X"]}


def _rota_confirm(t):
    rota, _ = _rota(t)
    return {"actor": t.coordinator, "rota": rota}


def _financial_year(t):
    from finance.models import FinancialYear

    return FinancialYear.objects.create(
        partnership=t.partnership, starts=D(2026, 4, 1), ends=D(2027, 3, 31), label="2026-27", opened_by=t.coordinator
    )


def _ended_year(t):
    """2024-25, whose last day has passed, so it may be closed."""
    from finance.models import FinancialYear

    return FinancialYear.objects.create(
        partnership=t.partnership, starts=D(2024, 4, 1), ends=D(2025, 3, 31), label="2024-25", opened_by=t.coordinator
    )


def _money_year(t):
    from tests.factories.finance import funded_year

    year, requests = funded_year(t, start_year=2026, dated=D(2026, 3, 20))
    return year, requests


def _unconfirmed_year(t):
    from tests.factories.finance import funded_year

    return funded_year(t, start_year=2026, confirm=False)[0]


def _payment(t):
    from finance.services.contributions import payment_record

    _, requests = _money_year(t)
    return payment_record(
        actor=t.coordinator, request=requests[0], amount=Decimal("100.00"), received_on=D(2026, 4, 20), method="cheque"
    )


def _interest(t):
    from finance.services.ledger import ledger_entry_record

    year = _unconfirmed_year(t)
    return ledger_entry_record(
        actor=t.coordinator,
        year=year,
        kind="interest",
        amount=Decimal("1.20"),
        posted_on=D(2026, 5, 1),
        description="Bank interest",
    )


def _joiner(t):
    from tests.factories.partnerships import MembershipFactory
    from tests.factories.schools import CensusFactory

    year, _ = _money_year(t)
    school = MembershipFactory(partnership=t.partnership, joined=D(2026, 9, 1)).school
    CensusFactory(school=school, year=2026)
    return {"actor": t.coordinator, "year": year, "school": school}


def _shared_cost(t):
    from finance.services.contributions import shared_cost_create

    return shared_cost_create(
        actor=t.coordinator,
        year=_unconfirmed_year(t),
        title="Science week",
        total=Decimal("600.00"),
        basis="equal",
        schools=list(t.schools),
    )


def _grant(t):
    from finance.services.spending import grant_record

    return grant_record(
        actor=t.coordinator,
        year=_unconfirmed_year(t),
        name="Extended Schools funding",
        funder="Devon County Council",
        amount=Decimal("18000.00"),
        received_on=D(2026, 5, 1),
    )


def _agreement(t, *, published=False):
    from partnerships.services.agreements import agreement_draft_create, agreement_publish

    version = agreement_draft_create(
        actor=t.coordinator, partnership=t.partnership, template="schools_partnership", starts=D(2024, 9, 1), ends=None
    )
    return agreement_publish(actor=t.coordinator, version=version) if published else version


def _subscription(t):
    from tests.factories.subscriptions import subscribed

    return subscribed(t, year=academic_year_of(timezone.localdate()))


def _pep(t):
    """A PEP headteacher (school improvement partner to the first school) and their plan for 2026/27."""
    from subscriptions.models import PepPlan
    from tests.factories.partnerships import give_role

    pep = UserFactory(full_name="Pat PEP")
    give_role(pep, t.partnership, Role.ADVISER, t.schools[0])
    return PepPlan.objects.create(partnership=t.partnership, pep=pep, year=2026)


def _pep_milestone(t):
    from subscriptions.models import PepMilestone, PepOutcome

    outcome = PepOutcome.objects.create(plan=_pep(t), text="Fewer schools below the floor")
    return PepMilestone.objects.create(outcome=outcome, text="Targets agreed", due=D(2027, 1, 31))


def _visit(t):
    from tests.factories.subscriptions import tariff

    return tariff(t.partnership)["visit"]


def _tariff(t):
    from tests.factories.subscriptions import tariff

    return tariff(t.partnership)


def _event(t, *, days_ahead: int = 30, item: str = "network"):
    from subscriptions.services.events import event_create

    _subscription(t)
    return event_create(
        actor=t.coordinator,
        partnership=t.partnership,
        title="Phase network",
        item=_tariff(t)[item],
        starts=timezone.now() + datetime.timedelta(days=days_ahead),
        whole_day=False,
        capacity=30,
    )


def _event_places(t, *, days_ahead: int = 30):
    from subscriptions.services.places import places_book

    return places_book(actor=t.headteacher, event=_event(t, days_ahead=days_ahead), school=t.schools[0], places=2)


def _invoiceable(t):
    from finance.services.years import financial_year_open
    from partnerships.calendar import financial_year_of
    from subscriptions.services.places import places_book

    financial_year_open(
        actor=t.coordinator, partnership=t.partnership, start_year=financial_year_of(timezone.localdate())
    )
    event = _event(t, item="conference")
    return places_book(actor=t.coordinator, event=event, school=None, organisation="Surrey Teaching Hub", places=1)


def _offered(t):
    """The tenant's school waits for a place at a full conference; one comes free and is held for it."""
    from subscriptions.services.places import places_book, places_cancel

    event = _event(t, item="conference")
    event.capacity = 1
    event.save(update_fields=["capacity"])
    hub = places_book(actor=t.coordinator, event=event, school=None, organisation="Surrey Teaching Hub", places=1)
    waiting = places_book(actor=t.headteacher, event=event, school=t.schools[0], places=1, waiting=True)
    places_cancel(actor=t.coordinator, places=hub)
    waiting.refresh_from_db()
    return waiting


def _booking(t, *, days_ahead: int = 30):
    from subscriptions.services.bookings import booking_create

    subscription = _subscription(t)
    return booking_create(
        actor=t.headteacher,
        subscription=subscription,
        item=_visit(t),
        on=min(timezone.localdate() + datetime.timedelta(days=days_ahead), D(subscription.year + 1, 8, 31)),
        hours=Decimal("3"),
        report=True,
    )


def _colleague(t):
    """A deputy of the headteacher's school, whom the headteacher may name to book."""
    from tests.factories.partnerships import give_role

    deputy = UserFactory(full_name="Dee Deputy")
    give_role(deputy, t.partnership, Role.DEPUTY, t.schools[0])
    return deputy


def _delegation(t):
    from subscriptions.services.delegations import delegation_grant

    return delegation_grant(
        actor=t.headteacher,
        partnership=t.partnership,
        school=t.schools[0],
        delegate=_colleague(t),
        start=timezone.localdate(),
    )


def _copy_to_sign(t):
    from partnerships.models import AgreementCopy
    from partnerships.services.signing import agreement_copies_make

    version = _agreement(t, published=True)
    agreement_copies_make(version=version)  # the task publishing queues, run here
    return AgreementCopy.objects.select_related("version__partnership", "school").get(
        version=version, school=t.schools[0]
    )


def _signing(t):
    from partnerships.models import SignatureBlock

    copy = _copy_to_sign(t)
    return {
        "actor": t.headteacher,
        "copy": copy,
        "block": SignatureBlock.objects.get(version=copy.version, kind="headteacher"),
        "name": t.headteacher.full_name,
        "agreed": True,
        "document_sha256": copy.blank_sha256,
        "password": PASSWORD,
    }


def _voiding(t):
    from partnerships.services.agreements import agreement_renew

    copy = _copy_to_sign(t)
    return {
        "actor": t.coordinator,
        "replaced": copy.version,
        "by": agreement_renew(actor=t.coordinator, version=copy.version),
    }


def _visits():
    return importlib.import_module("tests.factories.visits")


def _visit_notes(t):
    adviser = _visits().adviser_for(t)
    return {
        "actor": adviser,
        "visit": _visits().visit_for(t, adviser=adviser),
        "agenda": "Reading",
        "seen": "The headteacher and the English lead",
        "evidence": "Books",
        "judgements": "Good",
        "next_steps": "Writing",
        "shared_with": [],
    }


def _review_by_adviser(t, state: str, **more):
    adviser = _visits().adviser_for(t)
    return {"actor": adviser, "review": _visits().review_in(t, state, adviser=adviser), **more}


REGISTRY: dict[str, Callable[..., dict]] = {
    "subscriptions.tariff.tariff_item_save": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "item": None,
        "name": "Support for governors",
        "kind": "adviser_activity",
    },
    "subscriptions.pep.pep_plan_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "pep": _pep(t).pep,
        "year": 2027,
    },
    "subscriptions.pep.pep_outcome_add": lambda t: {
        "actor": t.coordinator,
        "plan": _pep(t),
        "text": "Every school at least good",
        "milestones": [("Reviews held", D(2026, 12, 1))],
    },
    "subscriptions.pep.pep_milestone_met": lambda t: {
        "actor": t.coordinator,
        "milestone": _pep_milestone(t),
        "met_on": D(2027, 1, 20),
        "evidence": "Agreed at the January meeting",
    },
    "subscriptions.pep.pep_cpd_record": lambda t: {
        "actor": t.coordinator,
        "plan": _pep(t),
        "kind": "sip_cpd",
        "on": D(2026, 10, 5),
        "days": Decimal("1"),
    },
    "subscriptions.pep.pep_support_day_record": lambda t: {
        "actor": t.coordinator,
        "plan": _pep(t),
        "school": t.schools[1],
        "on": D(2026, 10, 5),
        "days": Decimal("1"),
    },
    "subscriptions.pep.pep_panel_member_add": lambda t: {
        "actor": t.coordinator,
        "plan": _pep(t),
        "seat": "manager",
        "user": t.coordinator,
        "meets_on": D(2027, 6, 10),
    },
    "subscriptions.pep.pep_annual_review_record": lambda t: {
        "actor": t.coordinator,
        "plan": _pep(t),
        "held_on": D(2027, 7, 14),
        "notes": "Outcomes met",
    },
    "subscriptions.plans.plan_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "name": "Full subscription",
        "yearly_price": Decimal("4500.00"),
        "credits_per_year": Decimal("60"),
    },
    "subscriptions.plans.plan_forums_set": lambda t: {
        "actor": t.coordinator,
        "plan": _subscription(t).plan,
        "forums": [("School improvement forum", 2)],
    },
    "subscriptions.plans.subscription_start": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "school": t.schools[1],
        "plan": _subscription(t).plan,
        "year": academic_year_of(timezone.localdate()),
    },
    "subscriptions.bookings.booking_create": lambda t: {
        "actor": t.headteacher,
        "subscription": _subscription(t),
        "item": _visit(t),
        "on": timezone.localdate(),
        "hours": Decimal("2"),
        "report": False,
    },
    "subscriptions.bookings.booking_cancel": lambda t: {"actor": t.headteacher, "booking": _booking(t)},
    "subscriptions.bookings.booking_actuals_record": lambda t: {
        "actor": t.coordinator,
        "booking": _booking(t, days_ahead=0),
        "actual_hours": Decimal("4"),
        "report_written": True,
    },
    "subscriptions.events.event_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "title": "EAL network day",
        "item": _tariff(t)["network"],
        "starts": timezone.now() + datetime.timedelta(days=30),
        "whole_day": True,
        "capacity": 30,
        "places_per_school": 2,
    },
    "subscriptions.places.places_book": lambda t: {
        "actor": t.headteacher,
        "event": _event(t),
        "school": t.schools[0],
        "places": 2,
    },
    "subscriptions.places.places_cancel": lambda t: {"actor": t.headteacher, "places": _event_places(t)},
    "subscriptions.attendance.attendance_record": lambda t: (
        lambda row: {"actor": t.coordinator, "event": row.event, "came": {row.register.first().pk}}
    )(_event_places(t, days_ahead=0)),
    "subscriptions.attendance.attendees_name": lambda t: {
        "actor": t.headteacher,
        "places": _event_places(t),
        "names": ["A. Teacher", ""],
    },
    "subscriptions.places.places_invoice": lambda t: {"actor": t.coordinator, "places": _invoiceable(t)},
    "subscriptions.events.event_change": lambda t: (
        lambda row: {
            "actor": t.coordinator,
            "event": row.event,
            "starts": row.event.starts + datetime.timedelta(hours=1),
            "venue": "Kingston Guildhall",
            "capacity": 40,
        }
    )(_event_places(t)),
    "subscriptions.events.event_cancel": lambda t: {
        "actor": t.coordinator,
        "event": _event_places(t).event,
        "reason": "The speaker is ill",
    },
    "subscriptions.places.places_offer_accept": lambda t: {"actor": t.headteacher, "places": _offered(t)},
    "subscriptions.places.places_offer_decline": lambda t: {"actor": t.headteacher, "places": _offered(t)},
    # Notes of visit and the Joint Annual Review: tests/factories/visits.py makes the adviser and the rows.
    "reports.tokens.api_token_create": lambda t: {
        "actor": t.headteacher,
        "partnership": t.partnership,
        "name": "Sheet",
    },
    "reports.tokens.api_token_revoke": lambda t: {
        "actor": t.headteacher,
        "token": api_token_create(actor=t.headteacher, partnership=t.partnership, name="Sheet")[0],
    },
    "subscriptions.delegations.delegation_grant": lambda t: {
        "actor": t.headteacher,
        "partnership": t.partnership,
        "school": t.schools[0],
        "delegate": _colleague(t),
        "start": timezone.localdate(),
        "end": None,
    },
    "subscriptions.delegations.delegation_withdraw": lambda t: {"actor": t.headteacher, "delegation": _delegation(t)},
    "subscriptions.visits.visit_record": lambda t: {
        "actor": _visits().adviser_for(t),
        "partnership": t.partnership,
        "school": t.schools[0],
        "on": timezone.localdate(),
        "agenda": "Reading",
        "shared_with": ["chair_of_governors"],
    },
    "subscriptions.visits.visit_agenda_agree": lambda t: {"actor": t.headteacher, "visit": _visits().visit_for(t)},
    "subscriptions.visits.visit_notes_write": _visit_notes,
    "subscriptions.visits.visit_read": lambda t: {"actor": t.headteacher, "visit": _visits().visit_for(t)},
    "subscriptions.reviews.review_draft": lambda t: {
        "actor": _visits().adviser_for(t),
        "partnership": t.partnership,
        "school": t.schools[0],
        "year": academic_year_of(timezone.localdate()),
        "term": "spring",
        "summary": "Provision",
    },
    "subscriptions.reviews.review_revise": lambda t: _review_by_adviser(t, "draft", summary="Revised"),
    "subscriptions.reviews.review_send": lambda t: _review_by_adviser(t, "draft"),
    "subscriptions.reviews.review_confirm": lambda t: {
        "actor": t.headteacher,
        "review": _visits().review_in(t, "sent"),
    },
    "subscriptions.reviews.review_return": lambda t: {
        "actor": t.headteacher,
        "review": _visits().review_in(t, "sent"),
        "comments": "More on writing",
    },
    "subscriptions.reviews.review_submit": lambda t: _review_by_adviser(t, "confirmed"),
    "reports.people.person_erase": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "person": _former_head(t),
    },
    "subscriptions.reviews.review_read": lambda t: {"actor": t.headteacher, "review": _visits().review_in(t, "sent")},
    "signing.agreement_sign": _signing,
    "signing.agreement_copies_void": _voiding,
    # Signing on paper: the cases are built in tests/factories/paper.py.
    "paper.agreement_scan_upload": lambda t: importlib.import_module("tests.factories.paper").scan_upload_case(t),
    "paper.agreement_scan_confirm": lambda t: importlib.import_module("tests.factories.paper").scan_confirm_case(t),
    "paper.agreement_scan_reject": lambda t: importlib.import_module("tests.factories.paper").scan_reject_case(t),
    "agreements.agreement_draft_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "template": "learning_community",
        "starts": D(2009, 4, 1),
        "ends": D(2011, 4, 30),
    },
    "agreements.agreement_section_update": lambda t: {
        "actor": t.coordinator,
        "section": _agreement(t).sections.get(key="funding"),
        "heading": "Funding",
        "text": "Each school pays **£2** per pupil.",
    },
    "agreements.agreement_term_set": lambda t: {
        "actor": t.coordinator,
        "version": _agreement(t),
        "starts": D(2025, 9, 1),
        "ends": D(2028, 8, 31),
    },
    "agreements.agreement_signatories_set": lambda t: {
        "actor": t.coordinator,
        "version": _agreement(t),
        "blocks": [("headteacher", ""), ("other", "For the local authority's division")],
    },
    "agreements.agreement_publish": lambda t: {"actor": t.coordinator, "version": _agreement(t)},
    "agreements.agreement_renew": lambda t: {"actor": t.coordinator, "version": _agreement(t, published=True)},
    "finance.contributions.shared_cost_create": lambda t: {
        "actor": t.coordinator,
        "year": _unconfirmed_year(t),
        "title": "Science week: hall hire",
        "total": Decimal("1200.00"),
        "basis": "budget_share",
        "schools": list(t.schools),
    },
    "finance.contributions.contribution_request_add": _joiner,
    "finance.contributions.shared_cost_confirm": lambda t: {"actor": t.coordinator, "cost": _shared_cost(t)},
    "finance.spending.expense_record": lambda t: {
        "actor": t.coordinator,
        "year": (year := _unconfirmed_year(t)),
        "budget_line": year.budget_lines.first(),
        "amount": Decimal("120.00"),
        "spent_on": D(2026, 5, 3),
        "supplier": "Exeter Coaches Ltd",
        "description": "Coach hire for the maths challenge",
    },
    "finance.spending.grant_record": lambda t: {
        "actor": t.coordinator,
        "year": _unconfirmed_year(t),
        "name": "Extended Schools funding",
        "funder": "Devon County Council",
        "amount": Decimal("18000.00"),
        "received_on": D(2026, 5, 1),
    },
    "finance.spending.grant_allocate": lambda t: {
        "actor": t.coordinator,
        "grant": _grant(t),
        "school": t.schools[0],
        "amount": Decimal("1500.00"),
        "allocated_on": D(2026, 5, 4),
    },
    "finance.contributions.contribution_requests_confirm": lambda t: {
        "actor": t.coordinator,
        "year": _unconfirmed_year(t),
    },
    "finance.contributions.payment_record": lambda t: {
        "actor": t.coordinator,
        "request": _money_year(t)[1][0],
        "amount": Decimal("250.00"),
        "received_on": D(2026, 4, 21),
        "method": "bank_transfer",
        "reference": "BACS 123",
    },
    "finance.contributions.payment_reverse": lambda t: {
        "actor": t.coordinator,
        "payment": _payment(t),
        "reason": "Recorded against the wrong school",
    },
    "finance.ledger.ledger_entry_record": lambda t: {
        "actor": t.coordinator,
        "year": _unconfirmed_year(t),
        "kind": "grant_income",
        "amount": Decimal("5000.00"),
        "posted_on": D(2026, 5, 2),
        "description": "Extended Schools funding",
    },
    "finance.ledger.ledger_entry_reverse": lambda t: {
        "actor": t.coordinator,
        "entry": _interest(t),
        "reason": "Belongs to the next month",
    },
    # Beat sends reminders (no one acts); a request due on 1 April 2026 is 19 days overdue on the 20th.
    "finance.reminders.contribution_reminders_send": lambda t: {
        "actor": None,
        "partnership": _money_year(t)[0].partnership,
        "today": D(2026, 4, 20),
    },
    "finance.years.budget_set": lambda t: {
        "actor": t.coordinator,
        "year": _financial_year(t),
        "budget": {"administration": Decimal("500.00"), "events": None},
        "income": {"contributions": Decimal("609.00")},
    },
    "finance.years.financial_year_close": lambda t: {"actor": t.coordinator, "year": _ended_year(t)},
    "finance.years.financial_year_open": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "start_year": 2026,
        "budget": {"administration": Decimal("500.00")},
    },
    "finance.years.contribution_scheme_set": lambda t: {
        "actor": t.coordinator,
        "year": _financial_year(t),
        "basis": "per_fte",
        "rate": Decimal("2.00"),
    },
    "constitution.constitution_update": _constitution_change,
    "development.area_participation_add": lambda t: {"actor": t.coordinator, "area": _area(t), "school": t.schools[0]},
    "development.area_participation_remove": lambda t: {
        "actor": t.coordinator,
        "participation": AreaParticipationFactory(area=_area(t), school=t.schools[0]),
    },
    "development.area_participation_update": lambda t: {
        "actor": t.coordinator,
        "participation": AreaParticipationFactory(area=_area(t), school=t.schools[0]),
        "lead": _person(t),
    },
    "development.development_action_add": lambda t: {"actor": t.coordinator, "area": _area(t), "description": "Plan"},
    "development.development_action_update": lambda t: {
        "actor": t.coordinator,
        "action": DevelopmentActionFactory(area=_area(t)),
        "description": "Changed",
        "owner": None,
        "due": None,
        "status": "in_progress",
    },
    "development.development_area_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "academic_year": 2026,
        "name": "Reading",
        "coordinator": None,
    },
    "development.development_area_update": lambda t: {
        "actor": t.coordinator,
        "area": _area(t),
        "name": "Writing",
        "coordinator": None,
        "objectives": "More writing",
        "evaluation": "",
        "status": "in_progress",
    },
    "development.development_milestone_add": lambda t: {
        "actor": t.coordinator,
        "area": _area(t),
        "description": "Halfway",
        "due": D(2027, 2, 1),
    },
    "development.development_milestone_update": lambda t: {
        "actor": t.coordinator,
        "milestone": DevelopmentMilestoneFactory(area=_area(t)),
        "description": "Changed",
        "due": D(2027, 3, 1),
        "status": "in_progress",
    },
    "grants.object_grant": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "user": t.headteacher,
        "perm": "partnerships.view_membership",
        "obj": _membership(t),
    },
    "grants.object_withdraw": _withdrawal,
    "groups.group_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "name": "Maths network",
        "kind": Group.Kind.STANDING,
        "chair": _person(t),
    },
    "groups.group_member_add": lambda t: {"actor": t.coordinator, "group": _group(t), "person": _person(t)},
    "groups.group_member_remove": lambda t: {
        "actor": t.coordinator,
        "member": GroupMemberFactory(group=_group(t), person=_person(t)),
    },
    "groups.group_set_host": lambda t: {"actor": t.coordinator, "group": _group(t), "host_school": t.schools[0]},
    "groups.group_update": _group_update,
    "interests.interest_declaration_create": lambda t: {
        "actor": t.headteacher,
        "partnership": t.partnership,
        "nothing_to_declare": True,
    },
    "interests.interest_reminders_request": lambda t: {"actor": t.coordinator, "partnership": t.partnership},
    "invitations.invitation_accept": lambda t: {
        "actor": None,
        "invitation": t.invitation,
        "full_name": "Invited Person",
        "password": PASSWORD,
    },
    "invitations.invitation_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "email": "new@school.example",
        "full_name": "New Person",
        "role": Role.GOVERNOR,
        "school": t.schools[0],
    },
    "invitations.invitation_withdraw": lambda t: {"actor": t.coordinator, "invitation": t.invitation},
    "members.budget_record": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "school": t.schools[0],
        "financial_year": 2026,
        "amount": Decimal("1250000"),
    },
    "members.census_import": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "year": 2026,
        "data": f"URN,Headcount,FTE\r\n{t.schools[0].urn},210,204.5\r\n".encode(),
    },
    "members.census_record": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "school": t.schools[0],
        "year": 2025,
        "headcount": 102,
        "fte": Decimal("61.0"),
    },
    "members.people_link_user": _linkable,
    "members.person_create": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "school": t.schools[0],
        "full_name": "Sam Smith",
        "position": Person.Position.GOVERNOR,
    },
    "members.person_remove": lambda t: {"actor": t.coordinator, "person": _person(t)},
    "members.person_update": lambda t: {
        "actor": t.coordinator,
        "person": _person(t),
        "full_name": "Sam Jones",
        "position": Person.Position.TEACHER,
    },
    "members.school_register_import": lambda t: {
        "actor": t.coordinator,
        "data": csv_bytes([gias_row(990001, "New Primary School")]),
    },
    "membership.leaving_notice_record": lambda t: {
        "actor": t.coordinator,
        "membership": (make_terms(t.partnership), _membership(t))[1],
        "received_on": D(2025, 10, 1),
        "method": "email",
        "given_by": "Sam Patel, headteacher",
        "today": D(2026, 1, 10),
    },
    "membership.membership_join": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "school": SchoolFactory(),
        "joined": D(2025, 4, 1),
        "approved_on": D(2025, 3, 12),
        "approval_reference": "Strategic group 12 March 2025, minute 4",
        "today": D(2026, 1, 10),
    },
    "membership.membership_update_notes": lambda t: {
        "actor": t.coordinator,
        "membership": _membership(t),
        "withdrawal_notes": "Asked about leaving",
    },
    "meetings.scheduling.meeting_schedule": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "kind": "partnership",
        **_meeting_details(t),
    },
    "meetings.scheduling.meeting_change": lambda t: {
        "actor": t.coordinator,
        "meeting": _meeting(t),
        **(_meeting_details(t) | {"title": "Partnership meeting (moved)"}),
    },
    "meetings.scheduling.attendance_record": lambda t: {
        "actor": t.coordinator,
        "meeting": _meeting_today(t),
        "school": t.schools[0],
        "status": "present",
    },
    "meetings.scheduling.calendar_link_create": lambda t: {"actor": t.headteacher, "partnership": t.partnership},
    "meetings.scheduling.calendar_link_stop": lambda t: _with_calendar_link(t),
    "meetings.scheduling.meeting_answer": lambda t: {
        "actor": t.headteacher,
        "invitee": _meeting(t).invitees.get(user=t.headteacher),
        "answer": "apologies",
        "apologies_reason": "Ofsted are in",
    },
    "meetings.scheduling.meeting_cancel": lambda t: {"actor": t.coordinator, "meeting": _meeting(t), "reason": "Snow"},
    "meetings.scheduling.meeting_invitee_add": lambda t: {
        "actor": t.coordinator,
        "meeting": _meeting(t),
        "person": _person(t, email="deputy@school.example"),
    },
    "meetings.scheduling.meeting_invitee_remove": lambda t: {
        "actor": t.coordinator,
        "invitee": _meeting(t).invitees.get(user=t.headteacher),
    },
    "meetings.series.meeting_series_schedule": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "academic_year": academic_year_of(timezone.localdate()) + 1,
        "kind": "partnership",
        "title": "Partnership meeting",
        "weekday": 1,
        "week": 3,
        "start_time": datetime.time(16),
        "end_time": datetime.time(17, 30),
        "venue_school": t.schools[0],
        "strategy_before": True,
        "strategy_start_time": datetime.time(15),
        "strategy_end_time": datetime.time(16),
    },
    "meetings.notices.meeting_notice_resend": _failed_notice,
    "meetings.agenda.agenda_item_add": lambda t: {"actor": t.coordinator, "meeting": _meeting(t), "title": "Updates"},
    "meetings.agenda.agenda_item_change": lambda t: {"actor": t.coordinator, "item": _agenda_item(t), "title": "News"},
    "meetings.agenda.agenda_item_remove": lambda t: {"actor": t.coordinator, "item": _agenda_item(t)},
    "meetings.agenda.agenda_item_move": lambda t: {
        "actor": t.coordinator,
        "item": _agenda_item(t, items=2),
        "direction": "up",
    },
    "meetings.agenda.agenda_agree": lambda t: {"actor": t.coordinator, "meeting": _agenda_item(t).meeting},
    "meetings.agenda.agenda_publish": lambda t: {"actor": t.coordinator, "meeting": _agreed_agenda(t)},
    "meetings.agenda.papers_deadline_set": lambda t: {
        "actor": t.coordinator,
        "meeting": _meeting(t),
        "deadline": timezone.localdate() + datetime.timedelta(days=5),
    },
    "meetings.agenda.paper_upload": lambda t: {
        "actor": t.coordinator,
        "item": _agenda_item(t),
        "upload": _pdf_upload(),
        "no_pupil_data": True,
    },
    "meetings.agenda.paper_remove": lambda t: {"actor": t.coordinator, "paper": _paper(t)},
    "meetings.agenda.paper_read": lambda t: {"actor": t.coordinator, "paper": _confidential_paper(t)},
    "meetings.minutes.minutes_notes_save": lambda t: {
        "actor": t.coordinator,
        "item": _held_meeting(t).items.get(),
        "notes": "Agreed to revisit in spring",
    },
    "meetings.minutes.decision_record": lambda t: {
        "actor": t.coordinator,
        "item": _held_meeting(t).items.get(),
        "text": "Agreed the budget",
        "votes_for": 5,
    },
    "meetings.minutes.action_add": lambda t: {
        "actor": t.coordinator,
        "meeting": _held_meeting(t),
        "description": "Send the budget to governors",
        "owner": t.headteacher,
        "due": timezone.localdate() + datetime.timedelta(days=14),
    },
    "meetings.minutes.action_done": lambda t: {"actor": t.headteacher, "action": _action(t), "note": "Sent"},
    "meetings.minutes.minutes_circulate": lambda t: {"actor": t.coordinator, "meeting": _held_meeting(t)},
    "meetings.minutes.minutes_approve": _circulated_minutes,
    "meetings.minutes.follow_up_record": _absent_school,
    "offices.election_record": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "office": "chair",
        "held_on": timezone.localdate(),
        "method": "acclamation",
        "candidates": [(t.headteacher, None)],
        "elected": t.headteacher,
    },
    "partnerships.partnership_create": lambda t: {"actor": t.coordinator, "name": "Gamma", "slug": "gamma"},
    "roles.partnership_update_settings": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "require_mfa_for_coordinators": not t.partnership.require_mfa_for_coordinators,
    },
    "roles.role_end": lambda t: {"actor": t.coordinator, "assignment": t.role, "end": timezone.localdate()},
    "roles.role_start": lambda t: {
        "actor": t.coordinator,
        "user": UserFactory(),
        "partnership": t.partnership,
        "role": Role.GOVERNOR,
        "school": t.schools[0],
    },
    # A confirmed rota made directly, whose roles the sync then starts.
    "representatives.strategy_roles_sync": lambda t: {"actor": t.coordinator, "rota": _rota(t, confirmed=True)[0]},
    "representatives.strategy_roles_follow_leaders": _roles_follow,
    "strategy.rota_build_next": _rota_build,
    "strategy.rota_confirm": _rota_confirm,
    "strategy.rota_create": _rota_create,
    "strategy.rota_seat_update": _seat_update,
    "terms.terms_update": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "academic_year": 2025,
        "dates": _terms_dates(t),
    },
    # Governors' reports: last academic year's summer term, when both of the tenant's schools were members.
    "reports.governors.governors_report_generate": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "school": t.schools[0],
        "academic_year": 2025,
        "term": "summer",
    },
    "reports.governors.governors_report_release": lambda t: {
        "actor": t.headteacher,
        "report": _unreleased_report(t),
        "comment": "A good term",
    },
    "reports.governors.report_run_start": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "academic_year": 2025,
        "term": "summer",
    },
    "reports.governors.report_settings_save": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "delivery": "headteacher",
    },
    # The annual partnership report for the academic year 2025/26, over on the clock's day.
    "reports.annual.annual_report_generate": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "academic_year": 2025,
        "progress": "Reading rose",
    },
    "reports.governors.term_summary_save": lambda t: {
        "actor": t.coordinator,
        "partnership": t.partnership,
        "academic_year": 2025,
        "term": "summer",
        "priorities": "Reading",
        "impact": "Better reading",
    },
}


def _unreleased_report(t):
    from reports.models import ReportSettings
    from reports.services.governors import governors_report_generate

    ReportSettings.objects.create(partnership=t.partnership, delivery=ReportSettings.Delivery.HEADTEACHER_RELEASES)
    with scope(partnership=t.partnership):
        return governors_report_generate(
            actor=t.coordinator, partnership=t.partnership, school=t.schools[0], academic_year=2025, term="summer"
        )


# --- The shape of every service ----------------------------------------------------------------------------


def test_every_public_service_function_is_a_use_case_or_says_why_not():
    functions = public_functions()
    assert len(use_cases()) >= 40, "introspection found too few use cases: is the package walk broken?"
    assert set(functions) - set(use_cases()) == set(NOT_USE_CASES), (
        "a public function without `actor` must be listed in NOT_USE_CASES with a reason; "
        "if it changes something a person decided, give it `actor` and an audit row instead"
    )


def test_the_registry_calls_every_use_case():
    assert set(REGISTRY) == set(use_cases()), "add an entry to REGISTRY for each new use case"


@pytest.mark.parametrize("name", sorted(use_cases()))
def test_use_cases_take_keyword_only_typed_arguments_and_the_acting_user(name):
    function = use_cases()[name]
    parameters = inspect.signature(function).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), f"{name} needs * before its arguments"
    hints = typing.get_type_hints(function)
    unannotated = [p.name for p in parameters if p.name not in hints]
    assert not unannotated, f"{name} has arguments without a type: {unannotated}"
    assert hints["actor"] in (User, User | None, typing.Optional[User]), (  # noqa: UP045
        f"{name}'s actor must be accounts.models.User (or User | None where the system acts)"
    )


@pytest.mark.parametrize("name", sorted(use_cases()))
def test_each_use_case_writes_an_audit_row_when_it_changes_something(name, tenant_a):
    service = use_cases()[name]
    with scopes_disabled():
        kwargs = REGISTRY[name](tenant_a)
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with scope(partnership=tenant_a.partnership):
        service(**kwargs)
    with scopes_disabled():
        written = list(AuditEvent.objects.filter(pk__gt=last))
    assert written, f"{name} changed something and wrote no audit row"
    actor = kwargs["actor"]
    if actor is not None:
        assert actor in [event.actor for event in written], f"{name} did not record who acted"
    if name != "partnerships.partnership_create":
        assert {event.partnership_id for event in written} <= {tenant_a.partnership.pk, None}
    if name not in ABOUT_NO_ONE_THING:
        assert all(event.subject_type and event.subject_id for event in written), (
            f"{name} must name what its audit row is about (audit_record(subject=...)), so that the "
            "audit trail can show everything about one object"
        )


# Use cases whose rows are about many things at once or about no stored object: the summary says what.
ABOUT_NO_ONE_THING = {
    "meetings.series.meeting_series_schedule": "a series: the meetings are listed in the row's data",
    "meetings.scheduling.calendar_link_create": "a person's own calendar link, not a record of the partnership",
    "meetings.scheduling.calendar_link_stop": "a person's own calendar link, not a record of the partnership",
    "members.school_register_import": "an import of many schools",
    "members.census_import": "an import of many schools' census figures",
    "interests.interest_reminders_request": "reminders to many people",
    "terms.terms_update": "a year's term dates",
}
