"""A half-termly series of meetings from the partnership's term dates: the dates it picks, the strategy
group's meeting before each partnership meeting, the notice rule, all or nothing; and the warning when
a year has fewer partnership meetings than the agreement asks for."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.models import OutboxMessage
from meetings.models import Meeting
from meetings.selectors import meetings_shortfall
from meetings.services.series import meeting_series_plan, meeting_series_schedule
from partnerships.models import Constitution
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import make_terms

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
D = datetime.date


def series(tenant, *, plan=False, **overrides):
    values = {
        "partnership": tenant.partnership,
        "academic_year": 2026,
        "kind": Meeting.Kind.PARTNERSHIP,
        "title": "Partnership meeting",
        "weekday": 1,  # Tuesday
        "week": 3,
        "start_time": datetime.time(16),
        "end_time": datetime.time(17, 30),
        "venue_school": tenant.schools[0],
        "now": NOW,
    } | overrides
    with scope(partnership=tenant.partnership):
        if plan:
            return meeting_series_plan(**values)
        return meeting_series_schedule(actor=tenant.coordinator, **values)


@pytest.fixture
def terms(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership, years=(2026,))


def days(meetings):
    return [(m.title, timezone.localtime(m.starts).date()) for m in meetings]


def test_one_meeting_in_each_half_term_still_to_come_from_the_term_dates(tenant_a, terms, mailoutbox):
    made = series(tenant_a)
    # Autumn 1 and 2 have passed on 30 November; each later half term's third week, on the Tuesday. A
    # half term that starts on the Saturday after its holiday counts from the Monday.
    assert days(made) == [
        ("Partnership meeting, Spring 1", D(2027, 1, 19)),
        ("Partnership meeting, Spring 2", D(2027, 3, 9)),
        ("Partnership meeting, Summer 1", D(2027, 4, 27)),
        ("Partnership meeting, Summer 2", D(2027, 6, 22)),
    ]
    with scopes_disabled():
        assert all(timezone.localtime(m.starts).time() == datetime.time(16) for m in made)
        # Each is an ordinary meeting: invitations and an audit row each, and one for the series.
        assert all(m.invitees.filter(user=tenant_a.headteacher).exists() for m in made)
        assert OutboxMessage.objects.filter(recipient=tenant_a.headteacher.email.lower()).count() == 4
        assert AuditEvent.objects.filter(action="meeting.scheduled").count() == 4
        series_row = AuditEvent.objects.get(action="meeting.series_scheduled")
    assert series_row.data["meetings"] == [m.pk for m in made]
    assert "4 meetings scheduled for 2026/27" in series_row.summary


def test_the_strategy_group_meets_before_each_partnership_meeting(tenant_a, terms):
    made = series(
        tenant_a,
        strategy_before=True,
        strategy_days_before=7,
        strategy_start_time=datetime.time(15),
        strategy_end_time=datetime.time(16),
    )
    assert [(m.kind, timezone.localtime(m.starts).date()) for m in made[:4]] == [
        ("strategy", D(2027, 1, 12)),
        ("partnership", D(2027, 1, 19)),
        ("strategy", D(2027, 3, 2)),
        ("partnership", D(2027, 3, 9)),
    ]
    assert len(made) == 8
    assert made[0].title == "Strategy group meeting, Spring 1"
    assert timezone.localtime(made[0].starts).time() == datetime.time(15)


def test_a_half_term_in_progress_keeps_its_meeting_if_it_is_still_to_come(tenant_a, terms):
    made = series(tenant_a, week=6, now=datetime.datetime(2026, 11, 2, 9, tzinfo=LONDON))
    # Autumn 2 runs to 18 December: its sixth week's Tuesday is 8 December.
    assert days(made)[0] == ("Partnership meeting, Autumn 2", D(2026, 12, 8))


def test_a_week_beyond_a_short_half_term_falls_in_its_last_week(tenant_a, terms):
    made = series(tenant_a, week=8)
    # Spring 2 (22 February to 26 March) has five weeks: its last Tuesday.
    assert ("Partnership meeting, Spring 2", D(2027, 3, 23)) in days(made)


def test_a_year_without_term_dates_is_refused_by_the_field(tenant_a):
    with pytest.raises(ValidationError) as error:
        series(tenant_a, academic_year=2031)
    assert "no term dates for the academic year 2031/32" in error.value.message_dict["academic_year"][0]
    with scopes_disabled():
        assert not Meeting.objects.exists()


def test_a_year_that_is_over_is_refused(tenant_a, terms):
    with pytest.raises(ValidationError) as error:
        series(tenant_a, now=datetime.datetime(2027, 7, 30, 9, tzinfo=LONDON))
    assert "would already have been" in error.value.message_dict["academic_year"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"title": "  "}, "title", "Enter the meetings' title"),
        ({"weekday": 6}, "weekday", "Monday to Friday"),
        ({"week": 0}, "week", "between 1 and 8"),
        ({"venue_school": None}, "venue_school", "Say where the meeting is"),
        ({"end_time": datetime.time(15)}, "end_time", "must end after it starts"),
        ({"strategy_before": True, "kind": "strategy"}, "strategy_before", "before partnership meetings only"),
        ({"strategy_before": True}, "strategy_start_time", "strategy group meeting starts"),
        ({"strategy_before": True, "strategy_days_before": 0}, "strategy_days_before", "from 1 to 28"),
    ],
)
def test_bad_details_are_refused_by_the_field_and_nothing_is_made(tenant_a, terms, overrides, field, words):
    with pytest.raises(ValidationError) as error:
        series(tenant_a, **overrides)
    assert words in " ".join(error.value.message_dict[field])
    with scopes_disabled():
        assert not Meeting.objects.exists()
        assert not OutboxMessage.objects.exists()


def test_a_first_meeting_inside_the_notice_period_needs_the_reason_and_says_which_it_is(tenant_a, terms):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(notice_days=7)
    soon = datetime.datetime(2027, 1, 15, 9, tzinfo=LONDON)  # Spring 1's meeting is on the 19th
    with pytest.raises(ValidationError) as error:
        series(tenant_a, now=soon)
    message = error.value.message_dict["short_notice_reason"][0]
    assert message.startswith("Partnership meeting, Spring 1 (19 January 2027):")
    with scopes_disabled():
        assert not Meeting.objects.exists()  # all or nothing
    made = series(tenant_a, now=soon, short_notice_reason="The budget must be agreed this month")
    assert len(made) == 4


def test_the_plan_writes_nothing(tenant_a, terms):
    plan = series(tenant_a, plan=True)
    assert [p.title for p in plan][0] == "Partnership meeting, Spring 1"
    with scopes_disabled():
        assert not Meeting.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="meeting.").exists()


# --- Fewer partnership meetings than the agreement asks for -------------------------------------------------


def at(day, hour=16):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def test_the_shortfall_counts_the_years_scheduled_partnership_meetings(tenant_a):
    p = tenant_a.partnership
    with scopes_disabled():
        Constitution.objects.filter(partnership=p).update(min_meetings_per_year=3)
        for day, kind, status in [
            (D(2026, 10, 6), "partnership", "scheduled"),
            (D(2027, 8, 31), "partnership", "scheduled"),  # the last day of the year counts
            (D(2027, 1, 12), "partnership", "cancelled"),  # cancelled: not held
            (D(2027, 2, 2), "strategy", "scheduled"),  # another kind
            (D(2026, 8, 31), "partnership", "scheduled"),  # the year before
            (D(2027, 9, 1), "partnership", "scheduled"),  # the year after
        ]:
            MeetingFactory(
                partnership=p,
                organiser=tenant_a.coordinator,
                kind=kind,
                status=status,
                starts=at(day),
                ends=at(day, 17),
            )
    with scope(partnership=p):
        shortfall = meetings_shortfall(p, 2026)
        assert (shortfall.scheduled, shortfall.required) == (2, 3)
        assert shortfall.explanation() == (
            "Only 2 partnership meetings are scheduled for 2026/27. The agreement asks for at least 3 a year."
        )
        with scopes_disabled():
            Constitution.objects.filter(partnership=p).update(min_meetings_per_year=2)
        assert meetings_shortfall(p, 2026) is None
        with scopes_disabled():
            Constitution.objects.filter(partnership=p).update(min_meetings_per_year=None)
        assert meetings_shortfall(p, 2026) is None  # the agreement sets no minimum: nothing to warn of
