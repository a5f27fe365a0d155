"""The dashboard's "At a glance" charts and the chair's panel: each chart is well-formed SVG whose text
alternative (its description and the table in the details) gives the same figures as the records, each
is shown only to the roles it is for, and a large partnership costs the same number of queries."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.testing import assert_constant_queries
from meetings.models import AgendaItem, Attendance, Meeting, Minutes
from meetings.panels import HEAT_MAP_ROWS
from meetings.selectors import attendance_of_year
from partnerships.calendar import academic_year_of
from partnerships.models import Constitution
from partnerships.roles import Role
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, year_of_attendance
from tests.factories.partnerships import give_role
from tests.factories.subscriptions import subscribed

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def _dashboard(client, tenant) -> str:
    response = client.get(f"/p/{tenant.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, ident: str) -> str | None:
    found = re.search(rf'<section [^>]*id="{ident}".*?</section>', page, re.S)
    return found.group(0) if found else None


def _svg(section: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg .*?</svg>", section, re.S).group(0))


def _desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


# --- Attendance across the year ---------------------------------------------------------------------


def test_the_heat_map_shows_the_schools_that_missed_a_meeting_and_its_text_counts_every_record(tenant_a, client_for):
    first, second = tenant_a.schools
    year_of_attendance(
        tenant_a, {first: ["present", "present", "present"], second: ["apologies", "absent", "substitute"]}
    )
    section = _section(_dashboard(client_for(tenant_a.coordinator), tenant_a), "attendance-map")
    root = _svg(section)
    assert root.get("role") == "img"
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "cr-chart__cell"]
    # Only the school that missed a meeting has a row: one cell per meeting, in date order.
    assert [cell.get("data-value") for cell in cells] == ["apologies", "absent", "substitute"]
    letters = [t.text for t in root.iter(f"{SVG}text") if t.text in ("A", "X", "S", "P")]
    assert letters == ["S", "A", "X"] + ["A", "X", "S"]  # the legend's marks, then the row's cells
    desc = _desc(root)
    with scopes_disabled():
        records = {status: Attendance.objects.filter(status=status).count() for status in Attendance.Status.values}
        total = Attendance.objects.count()
    assert total == 6
    assert f"{total} attendance records: present {records['present']}, substitute 1, apologies 1, " in desc
    assert "absent without apologies 1." in desc
    assert f"{second.name}: substitute 1, apologies 1, absent without apologies 1." in desc
    # The table in the details gives the same counts, and a cell per meeting for the school shown.
    totals = [int(n) for n in re.findall(r"data-status-total>(\d+)<", section)]
    assert totals == [records[status] for status in Attendance.Status.values] and sum(totals) == total
    assert len(re.findall(r"data-attendance-cell", section)) == 3
    assert "1 of 2 schools missed at least one" in section


def test_the_heat_map_is_for_the_chair_and_the_coordinator_only(tenant_a, client_for):
    year_of_attendance(tenant_a, {tenant_a.schools[1]: ["absent"]})
    chair = UserFactory(full_name="The Chair")
    give_role(chair, tenant_a.partnership, Role.CHAIR)
    assert 'id="attendance-map"' in _dashboard(client_for(chair), tenant_a)
    assert 'id="attendance-map"' not in _dashboard(client_for(tenant_a.headteacher), tenant_a)


def test_the_years_attendance_is_read_in_one_query(tenant_a, django_assert_num_queries):
    year_of_attendance(tenant_a, {school: ["present", "apologies"] for school in tenant_a.schools})
    with scopes_disabled(), django_assert_num_queries(1):
        year = attendance_of_year(tenant_a.partnership, academic_year_of(timezone.localdate()))
    assert year.recorded == 4 and len(year.meetings) == 2 and len(year.rows) == 2


def test_a_year_of_meetings_for_200_schools_costs_no_more_queries_and_shows_the_worst_first(tenant_a, client_for):
    from tests.partnerships.test_query_budget import _grow

    # A school absent from both meetings from the start: the absences to follow up (meetings' own warning)
    # read two more queries once a school is flagged, whatever the number of schools.
    first, second = tenant_a.schools
    year_of_attendance(tenant_a, {first: ["absent", "absent"], second: ["present", "apologies"]})

    def grow():
        _grow(tenant_a)
        schools = list(School.objects.filter(name__startswith="Big School"))
        meetings = list(Meeting.objects.filter(partnership=tenant_a.partnership))
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                school=school,
                status="absent" if number % 7 == 0 else "present",
                recorded_by=tenant_a.coordinator,
            )
            for number, school in enumerate(schools)
            for meeting in meetings
        )

    client = client_for(tenant_a.coordinator)
    # The page's budget (26, tests/partnerships/test_query_budget.py) with a year of attendance recorded: the
    # absences to follow up read the recent meetings' absences (one) and, a school being flagged, its
    # follow-ups and the schools (two).
    assert_constant_queries(client, f"/p/{tenant_a.slug}/", grow=grow, at_most=29)
    section = _section(_dashboard(client, tenant_a), "attendance-map")
    root = _svg(section)
    rows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cr-chart__row"]
    assert len(rows) == HEAT_MAP_ROWS  # legible: 30 schools absent twice, then 1 with apologies, cut at 20
    first_row = [rect.get("data-value") for rect in rows[0].iter(f"{SVG}rect") if rect.get("data-value")]
    assert first_row == ["absent", "absent"]  # the worst first
    with scopes_disabled():
        assert f"{Attendance.objects.count()} attendance records" in _desc(root)
    assert f"the {HEAT_MAP_ROWS} that missed most are shown" in section


# --- Budget against spending --------------------------------------------------------------------------


def test_budget_against_spending_gives_the_spending_pages_figures(tenant_a, client_for):
    from finance.models import BudgetLine
    from finance.selectors import spending_by_line
    from finance.services.ledger import ledger_entry_reverse
    from finance.services.spending import expense_record

    year, _ = funded_year(tenant_a, confirm=False)  # administration £500.00, events £300.00
    with scope(partnership=tenant_a.partnership):
        events = BudgetLine.objects.get(year=year, category="events")
        for amount in ("120.00", "45.50", "99.00"):
            expense = expense_record(
                actor=tenant_a.coordinator,
                year=year,
                budget_line=events,
                amount=Decimal(amount),
                spent_on=year.starts + datetime.timedelta(days=10),
                supplier="Exeter Coaches Ltd",
                description="Coaches",
            )
        ledger_entry_reverse(actor=tenant_a.coordinator, entry=expense.entry, reason="Wrong year")
        expected = {row.name: (row.line.planned, row.spent) for row in spending_by_line(year)}
    assert expected == {
        "Administration": (Decimal("500.00"), Decimal("0.00")),
        "Events": (Decimal("300.00"), Decimal("165.50")),
    }
    section = _section(_dashboard(client_for(tenant_a.coordinator), tenant_a), "budget-chart")
    desc = _desc(_svg(section))
    assert "Spent £165.50 of the £800.00 budgeted" in desc
    assert "Administration: budget £500.00, spent £0.00." in desc and "Events: budget £300.00, spent £165.50." in desc
    assert "£165.50" in section and "£134.50" in section  # the table: spent and left
    assert 'id="budget-chart"' not in _dashboard(client_for(tenant_a.headteacher), tenant_a)


def test_the_finance_officer_of_the_banker_school_sees_the_budget_chart(tenant_a, client_for):
    funded_year(tenant_a, confirm=False)  # the first school is the banker
    officer = UserFactory(full_name="Finance Officer")
    give_role(officer, tenant_a.partnership, Role.FINANCE_OFFICER, tenant_a.schools[0])
    assert 'id="budget-chart"' in _dashboard(client_for(officer), tenant_a)


# --- Credits used and left --------------------------------------------------------------------------


def _use_credits(subscription, *entries):
    from subscriptions.services.credits import credit_append

    with scopes_disabled(), transaction.atomic():
        for kind, amount in entries:
            credit_append(subscription=subscription, kind=kind, amount=Decimal(amount), description=kind)


def test_credits_used_and_left_agree_with_the_schools_statement(tenant_a, client_for):
    from subscriptions.selectors import credit_statement

    subscription = subscribed(tenant_a, year=academic_year_of(timezone.localdate()))
    _use_credits(subscription, ("booking", "-10"), ("refund", "2"), ("booking", "-6.5"), ("adjustment", "1"))
    with scopes_disabled():
        statement = credit_statement(subscription)
    used = statement.spent - statement.refunded - statement.adjusted
    assert (used, statement.balance) == (Decimal("13.5"), Decimal("46.5"))
    school = tenant_a.schools[0].name

    section = _section(_dashboard(client_for(tenant_a.headteacher), tenant_a), "credits-chart")
    desc = _desc(_svg(section))
    assert f"{school}: used 13.5, left 46.5." in desc
    assert "Your school has used 13.5 credits" in section and "46.5 are left" in section

    whole = _section(_dashboard(client_for(tenant_a.coordinator), tenant_a), "credits-chart")
    assert "Full subscription 60 (1 school): used 13.5, left 46.5." in _desc(_svg(whole))


def test_no_credits_chart_without_a_subscription(tenant_a, client_for):
    assert 'id="credits-chart"' not in _dashboard(client_for(tenant_a.headteacher), tenant_a)


# --- The chair's term, the next election and the decisions waiting ----------------------------------


def _chair(tenant, *, start, end):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant.partnership).update(
            chair_term_years=1, chair_max_consecutive_years=4
        )
    chair = UserFactory(full_name="Lucy Chair")
    give_role(chair, tenant.partnership, Role.CHAIR, start=start, end=end)
    return chair


def test_the_chair_sees_when_their_term_ends_and_the_next_election_is_due(tenant_a, client_for):
    today = timezone.localdate()
    starts = today.replace(month=9, day=1) if today.month >= 9 else today.replace(year=today.year - 1, month=9, day=1)
    ends = starts.replace(year=starts.year + 1) - datetime.timedelta(days=1)
    chair = _chair(tenant_a, start=starts.replace(year=starts.year - 2), end=ends)
    section = _section(_dashboard(client_for(chair), tenant_a), "as-chair")
    date = f"{ends.day} {ends:%B %Y}"
    assert f"Your term as chair ends on {date}" in section
    assert f"Next election due by {date}" in section
    # Two years served and a third when this term ends: a fourth keeps within the limit of four.
    assert "When this term ends you will have served 3: you may stand again." in section
    assert 'id="as-chair"' not in _dashboard(client_for(tenant_a.headteacher), tenant_a)


def test_an_election_already_held_for_the_next_term_is_shown_instead(tenant_a, client_for):
    from partnerships.models import Election

    today = timezone.localdate()
    chair = _chair(tenant_a, start=today - datetime.timedelta(days=200), end=today + datetime.timedelta(days=30))
    successor = UserFactory(full_name="Next Chair")
    with scopes_disabled():
        Election.objects.create(
            partnership=tenant_a.partnership,
            office="chair",
            held_on=today,
            term_starts=today + datetime.timedelta(days=31),
            term_ends=today + datetime.timedelta(days=395),
            method="acclamation",
            elected=successor,
            recorded_by=tenant_a.coordinator,
        )
    section = _section(_dashboard(client_for(chair), tenant_a), "as-chair")
    assert "Next Chair is chair from" in section and "Next election due" not in section


def test_the_chair_sees_the_agenda_to_agree_the_minutes_to_approve_and_the_decisions_ahead(tenant_a, client_for):
    today = timezone.localdate()
    chair = _chair(tenant_a, start=today - datetime.timedelta(days=100), end=today + datetime.timedelta(days=200))
    now = timezone.now()
    with scopes_disabled():
        held = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            chair=chair,
            title="Autumn partnership meeting",
            starts=now - datetime.timedelta(days=30),
            ends=now - datetime.timedelta(days=30, hours=-1),
        )
        Minutes.objects.create(meeting=held, status=Minutes.Status.CIRCULATED, circulated_at=now)
        ahead = MeetingFactory(
            partnership=tenant_a.partnership, organiser=tenant_a.coordinator, chair=chair, title="Spring meeting"
        )
        AgendaItemFactory(meeting=ahead, title="Budget for next year", decision_needed=True)
        AgendaItemFactory(meeting=ahead, title="Reports from the networks")
        assert AgendaItem.objects.filter(meeting=ahead).count() == 2
    section = _section(_dashboard(client_for(chair), tenant_a), "as-chair")
    assert "Agree the agenda of Spring meeting" in section
    assert "Approve the minutes of Autumn partnership meeting" in section
    assert "Budget for next year</a>: a decision at Spring meeting" in section
    assert "Reports from the networks" not in section


def test_the_chairs_dashboard_runs_a_constant_number_of_queries_with_a_year_of_business(tenant_a, client_for):
    today = timezone.localdate()
    chair = _chair(tenant_a, start=today - datetime.timedelta(days=100), end=today + datetime.timedelta(days=200))
    year_of_attendance(tenant_a, {school: ["absent", "present"] for school in tenant_a.schools})
    with scopes_disabled():  # a meeting to chair from the start, so that what grows is the amount
        AgendaItemFactory(
            meeting=MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, chair=chair)
        )

    def grow():
        from tests.partnerships.test_query_budget import _grow

        _grow(tenant_a)
        for number in range(5):
            meeting = MeetingFactory(
                partnership=tenant_a.partnership, organiser=tenant_a.coordinator, chair=chair, title=f"M{number}"
            )
            for position in range(8):
                AgendaItemFactory(meeting=meeting, decision_needed=position % 2 == 0)

    assert_constant_queries(client_for(chair), f"/p/{tenant_a.slug}/", grow=grow, at_most=20)
