"""The meetings list and the action points list download as CSV and XLSX: the page's rows (the action
points as its filters choose them), formula-looking text disarmed, dates as dates, in a constant number
of queries. Another partnership's meetings are never in the file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.testing import assert_constant_queries
from meetings.models import ActionPoint, Meeting
from meetings.services.minutes import action_done
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, name, fmt, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant.slug, "fmt": fmt, **kwargs})


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
