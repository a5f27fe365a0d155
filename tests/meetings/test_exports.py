"""The meetings list, the action points list and a meeting's attendance download as CSV and XLSX: the
page's rows (the action points as its filters choose them, the attendance of the schools the note-taker's
page lists), formula-looking text disarmed, dates as dates, in a constant number of queries. Another
partnership's meetings and schools are never in the file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.testing import assert_constant_queries
from meetings.models import ActionPoint, Attendance, Meeting
from meetings.services.minutes import action_done
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.meetings import InviteeFactory, MeetingFactory
from tests.factories.partnerships import MembershipFactory, member_school_with_head
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, name, fmt, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant.slug, "fmt": fmt, **kwargs})


def _attended(meeting, school, status, by):
    with scopes_disabled():
        return Attendance.objects.create(meeting=meeting, school=school, status=status, recorded_by=by)


def _meeting(tenant, *, days: int, title="Partnership meeting", **fields):
    starts = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(16)))
    starts += datetime.timedelta(days=days)
    with scopes_disabled():
        return MeetingFactory(
            partnership=tenant.partnership,
            organiser=tenant.coordinator,
            title=title,
            starts=starts,
            ends=starts + datetime.timedelta(hours=1, minutes=30),
            **fields,
        )


def _action(tenant, meeting, *, owner=None, due_in=7, text="Send the budget"):
    with scopes_disabled():
        return ActionPoint.objects.create(
            meeting=meeting,
            description=text,
            owner=owner or tenant.headteacher,
            due=timezone.localdate() + datetime.timedelta(days=due_in),
            created_by=tenant.coordinator,
        )


def test_the_meetings_list_downloads_coming_up_then_past_with_formulas_disarmed(tenant_a, tenant_b, client_for):
    _meeting(tenant_a, days=10, title=FORMULA)
    _meeting(tenant_a, days=-10, title="Autumn meeting")
    _meeting(tenant_a, days=-3, title="Called off", status=Meeting.Status.CANCELLED, cancel_reason="Snow")
    _meeting(tenant_b, days=5, title="Beta's own meeting")
    client = client_for(tenant_a.headteacher)

    rows = csv_rows(client.get(_url(tenant_a, "list_export", "csv")))
    assert rows[0] == ["Meeting", "Kind", "Date", "Starts", "Ends", "Where", "Status"]
    in_ten_days = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert rows[1] == [
        "'" + FORMULA,
        "Partnership meeting",
        in_ten_days,
        "16:00",
        "17:30",
        "The Hall, 1 School Lane",
        "Scheduled",
    ]
    assert [(row[0], row[-1]) for row in rows[2:]] == [("Called off", "Cancelled"), ("Autumn meeting", "Held")]
    assert "Beta's own meeting" not in str(rows)

    sheet = xlsx_rows(client.get(_url(tenant_a, "list_export", "xlsx")))
    assert sheet[1][0] == "'" + FORMULA
    assert isinstance(sheet[1][2], datetime.datetime)
    assert sheet[1][2].date() == timezone.localdate() + datetime.timedelta(days=10)
    assert len(sheet) == 4


def test_the_meetings_download_runs_the_same_queries_for_3_and_60_meetings(tenant_a, client_for):
    for days in (-5, 5, 9):
        _meeting(tenant_a, days=days)
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        _url(tenant_a, "list_export", "xlsx"),
        grow=lambda: [_meeting(tenant_a, days=days, venue_school=tenant_a.schools[0]) for days in range(-30, 30)],
        at_most=8,
    )


def test_an_unknown_format_is_not_found(tenant_a, client_for):
    assert client_for(tenant_a.coordinator).get(_url(tenant_a, "list_export", "pdf")).status_code == 404


def test_the_action_points_download_holds_the_filtered_rows(tenant_a, client_for):
    meeting = _meeting(tenant_a, days=-7, title="Spring meeting")
    _action(tenant_a, meeting, text=FORMULA, due_in=-2)
    _action(tenant_a, meeting, owner=tenant_a.coordinator, text="Coordinator's", due_in=40)
    done = _action(tenant_a, meeting, text="Book the hall", due_in=1)
    with scope(partnership=tenant_a.partnership):
        action_done(actor=tenant_a.headteacher, action=done, note="@booked")
    client = client_for(tenant_a.headteacher)
    query = {"owner": tenant_a.headteacher.pk}

    rows = csv_rows(client.get(_url(tenant_a, "actions_export", "csv"), query))
    assert rows[0][:6] == ["Action", "Meeting", "Meeting date", "Owner", "Due", "Status"]
    by_action = {row[0]: row for row in rows[1:]}
    assert set(by_action) == {"'" + FORMULA, "Book the hall"}
    assert by_action["'" + FORMULA][5] == "Overdue"
    done_row = ["Done", timezone.localdate().isoformat(), tenant_a.headteacher.full_name, "'@booked"]
    assert by_action["Book the hall"][5:] == done_row

    sheet = xlsx_rows(client.get(_url(tenant_a, "actions_export", "xlsx"), query | {"status": "open"}))
    assert len(sheet) == 2 and sheet[1][0] == "'" + FORMULA
    assert sheet[1][4].date() == timezone.localdate() - datetime.timedelta(days=2)


def test_bad_action_filters_send_the_reader_back_to_the_page(tenant_a, client_for):
    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "actions_export", "csv"), {"status": "lost"})
    assert response.status_code == 302 and response["Location"].endswith("/actions/?status=lost")


def test_the_action_points_download_runs_the_same_queries_for_10_and_100_actions(tenant_a, client_for):
    meeting = _meeting(tenant_a, days=-7)
    for n in range(10):
        _action(tenant_a, meeting, text=f"Action {n}")
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        _url(tenant_a, "actions_export", "xlsx"),
        grow=lambda: [_action(tenant_a, _meeting(tenant_a, days=-3), text=f"More {n}") for n in range(90)],
        at_most=10,
    )


def test_the_pages_link_to_their_downloads(tenant_a, client_for):
    client = client_for(tenant_a.headteacher)
    page = client.get(reverse("meetings:list", kwargs={"partnership_slug": tenant_a.slug})).content.decode()
    assert "Download as CSV" in page and _url(tenant_a, "list_export", "xlsx") in page
    page = client.get(
        reverse("meetings:actions", kwargs={"partnership_slug": tenant_a.slug}), {"status": "open"}
    ).content.decode()
    assert _url(tenant_a, "actions_export", "csv") + "?status=open" in page


def test_the_attendance_download_lists_the_schools_expected_as_the_page_does(tenant_a, tenant_b, client_for):
    meeting = _meeting(tenant_a, days=0, title="Summer meeting", note_taker=tenant_a.headteacher)
    s0, s1 = tenant_a.schools
    with scopes_disabled():
        formula_school = MembershipFactory(partnership=tenant_a.partnership, school=SchoolFactory(name=FORMULA)).school
        former = MembershipFactory(
            partnership=tenant_a.partnership, joined=datetime.date(2015, 9, 1), left=datetime.date(2020, 8, 31)
        ).school
        InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=s0, answer="attending")
        InviteeFactory(
            meeting=meeting,
            user=UserFactory(full_name="Bea Deputy"),
            school=s1,
            answer="apologies",
            apologies_reason="A private medical appointment",
        )
        InviteeFactory(meeting=meeting, user=UserFactory(full_name="Taken Off"), school=s0, removed_at=timezone.now())
    _attended(meeting, s0, "present", tenant_a.headteacher)
    _attended(meeting, s1, "apologies", tenant_a.headteacher)
    # Records of schools the page does not list: one that left before the meeting, another partnership's.
    _attended(meeting, former, "present", tenant_a.coordinator)
    _attended(meeting, tenant_b.schools[0], "present", tenant_a.coordinator)

    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "attendance_export", "csv", meeting_pk=meeting.pk))
    rows = csv_rows(response)
    assert rows[0] == ["School", "URN", "Attendance", "Answers"]
    assert sorted(rows[1:]) == sorted(
        [
            ["'" + FORMULA, str(formula_school.urn), "Not recorded", "Nobody invited from this school"],
            [s0.name, str(s0.urn), "Present", f"{tenant_a.headteacher.full_name}: coming"],
            [s1.name, str(s1.urn), "Apologies", "Bea Deputy: sends apologies"],
        ]
    )
    for hidden in (b"private medical", b"Taken Off", former.name.encode(), tenant_b.schools[0].name.encode()):
        assert hidden not in response.content

    sheet = xlsx_rows(
        client_for(tenant_a.coordinator).get(_url(tenant_a, "attendance_export", "xlsx", meeting_pk=meeting.pk))
    )
    assert len(sheet) == 4 and {row[1] for row in sheet[1:]} == {s0.urn, s1.urn, formula_school.urn}
    page = client_for(tenant_a.headteacher).get(reverse("meetings:attendance", args=[tenant_a.slug, meeting.pk]))
    assert _url(tenant_a, "attendance_export", "xlsx", meeting_pk=meeting.pk) in page.content.decode()


def test_the_attendance_download_is_the_note_takers_and_this_partnerships_only(tenant_a, tenant_b, client_for):
    meeting = _meeting(tenant_a, days=0, note_taker=tenant_a.headteacher)
    beta = _meeting(tenant_b, days=0, note_taker=tenant_b.headteacher)
    _, other_head = member_school_with_head(tenant_a.partnership, head_since=datetime.date(2021, 9, 1))
    assert (
        client_for(other_head).get(_url(tenant_a, "attendance_export", "csv", meeting_pk=meeting.pk)).status_code == 403
    )
    url = _url(tenant_a, "attendance_export", "csv", meeting_pk=beta.pk)
    assert client_for(tenant_a.coordinator).get(url).status_code == 404
    assert client_for(tenant_a.headteacher).post(url).status_code == 404  # a 405 would say the meeting exists


def test_the_attendance_download_runs_the_same_queries_for_a_few_schools_and_many(tenant_a, client_for):
    meeting = _meeting(tenant_a, days=0, note_taker=tenant_a.headteacher)
    _attended(meeting, tenant_a.schools[0], "present", tenant_a.headteacher)

    def grow():
        for n in range(60):
            school = MembershipFactory(partnership=tenant_a.partnership).school
            InviteeFactory(meeting=meeting, user=UserFactory(), school=school, answer="attending")
            if n % 2:
                _attended(meeting, school, "present", tenant_a.coordinator)

    assert_constant_queries(
        client_for(tenant_a.coordinator),
        _url(tenant_a, "attendance_export", "xlsx", meeting_pk=meeting.pk),
        grow=grow,
        at_most=10,
    )
