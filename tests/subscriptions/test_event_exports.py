"""The events list and an event's bookings and register download as CSV and XLSX: a school sees only its
own places there as on the page, the coordinator everyone's; counts are numbers, prices pounds, dates
dates, formula-looking names disarmed, and the queries do not grow with the bookings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from subscriptions.models import Event
from subscriptions.services.events import event_create
from subscriptions.services.places import places_book
from tests.clock import roles_held_since
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import signed_in
from tests.factories.partnerships import member_school_with_head
from tests.factories.schools import SchoolFactory
from tests.factories.subscriptions import subscribed, tariff

pytestmark = pytest.mark.django_db

D = datetime.date
EVENT_DAY = D(2026, 11, 10)
FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _event(tenant, item, *, title, capacity=30):
    starts = datetime.datetime.combine(EVENT_DAY, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    with scopes_disabled():
        return event_create(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            title=title,
            item=item,
            starts=starts,
            whole_day=True,
            capacity=capacity,
            places_per_school=None,
            forum="",
        )


def _book(actor, event, school, places, **kwargs):
    with scopes_disabled():
        return places_book(actor=actor, event=event, school=school, places=places, **kwargs)


def _url(tenant, name, fmt, **kwargs):
    return reverse(f"subscriptions:{name}", kwargs={"partnership_slug": tenant.slug, "fmt": fmt, **kwargs})


def test_the_events_list_downloads_every_event_with_places_as_numbers(tenant_a, tenant_b, clock):
    items = tariff(tenant_a.partnership)
    conference = _event(tenant_a, items["conference"], title=FORMULA, capacity=8)
    _book(tenant_a.headteacher, conference, tenant_a.schools[0], 3)
    last_year = _event(tenant_a, items["conference"], title="Last year's conference")
    with scopes_disabled():
        Event.objects.filter(pk=last_year.pk).update(starts=last_year.starts.replace(year=2025))
    _event(tenant_b, tariff(tenant_b.partnership)["conference"], title="Beta's own conference")
    client = signed_in(tenant_a.headteacher)

    rows = csv_rows(client.get(_url(tenant_a, "events_export", "csv")))
    assert rows[0] == [
        "Event", "Date", "Starts", "Length", "Kind", "Status", "Where", "Places", "Booked", "Places left",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Last year's conference", "'" + FORMULA]
    assert rows[2][1:] == ["2026-11-10", "09:30", "All day", "Open (paid)", "Open for booking", "", "8", "3", "5"]

    sheet = xlsx_rows(client.get(_url(tenant_a, "events_export", "xlsx")))
    assert sheet[2][0] == "'" + FORMULA
    assert sheet[2][1] == datetime.datetime(2026, 11, 10) and sheet[2][7:] == (8, 3, 5)


def test_a_school_downloads_only_its_own_places_and_the_coordinator_everyones(tenant_a, clock):
    conference = _event(tenant_a, tariff(tenant_a.partnership)["conference"], title="Annual conference", capacity=4)
    with scopes_disabled():
        other, other_head = member_school_with_head(
            tenant_a.partnership, name="Brook Primary", head_since=D(2024, 9, 1)
        )
    mine = _book(tenant_a.headteacher, conference, tenant_a.schools[0], 2, attendees=f"{FORMULA}\nB. Teacher")
    booked_on = timezone.localtime(mine.booked_at).date()
    _book(other_head, conference, other, 2)
    _book(tenant_a.coordinator, conference, SchoolFactory(name="Hillside Academy"), 1, waiting=True)

    own = csv_rows(signed_in(tenant_a.headteacher).get(_url(tenant_a, "event_export", "csv", event_pk=conference.pk)))
    assert own[0] == [
        "Who", "Member school", "Status", "Places", "Credits", "Price a place", "Cost", "Booked on", "Came",
        "Who is coming",
    ]  # fmt: skip
    assert len(own) == 2
    assert own[1][:8] == [tenant_a.schools[0].name, "Yes", "Booked", "2", "", "95.00", "190.00", booked_on.isoformat()]
    assert own[1][9].startswith("'=HYPERLINK") and own[1][9].endswith("; B. Teacher")

    sheet = xlsx_rows(
        signed_in(tenant_a.coordinator).get(_url(tenant_a, "event_export", "xlsx", event_pk=conference.pk))
    )
    assert [(row[0], row[2]) for row in sheet[1:]] == [
        (tenant_a.schools[0].name, "Booked"),
        ("Brook Primary", "Booked"),
        ("Hillside Academy", "On the waiting list"),
    ]
    assert sheet[1][3] == 2 and sheet[1][5] == Decimal("95") and sheet[1][6] == Decimal("190")
    assert sheet[1][7].date() == booked_on


def test_a_network_events_download_counts_credits(tenant_a, clock):
    subscribed(tenant_a)
    network = _event(tenant_a, tariff(tenant_a.partnership)["network"], title="EAL network day")
    _book(tenant_a.headteacher, network, tenant_a.schools[0], 2)
    sheet = xlsx_rows(signed_in(tenant_a.headteacher).get(_url(tenant_a, "event_export", "xlsx", event_pk=network.pk)))
    assert sheet[1][3:7] == (2, 4, None, None)


def test_another_partnerships_event_is_not_found(tenant_a, tenant_b, clock):
    event = _event(tenant_a, tariff(tenant_a.partnership)["conference"], title="Annual conference")
    with scopes_disabled():
        roles_held_since(tenant_b.partnership, D(2024, 9, 1))
    response = signed_in(tenant_b.coordinator).get(_url(tenant_b, "event_export", "csv", event_pk=event.pk))
    assert response.status_code == 404


def test_the_downloads_run_the_same_queries_however_many_events_and_bookings(tenant_a, clock):
    items = tariff(tenant_a.partnership)
    event = _event(tenant_a, items["conference"], title="Conference", capacity=500)
    client = signed_in(tenant_a.coordinator)

    def grow():
        for n in range(8):
            _event(tenant_a, items["conference"], title=f"Conference {n}")
            places_book(actor=tenant_a.coordinator, event=event, school=SchoolFactory(), places=2, attendees="A\nB")

    assert_constant_queries(client, _url(tenant_a, "events_export", "xlsx"), grow=grow, at_most=10)
    assert_constant_queries(client, _url(tenant_a, "event_export", "xlsx", event_pk=event.pk), grow=grow, at_most=12)


def test_the_pages_link_to_their_downloads(tenant_a, clock):
    event = _event(tenant_a, tariff(tenant_a.partnership)["conference"], title="Annual conference")
    _book(tenant_a.headteacher, event, tenant_a.schools[0], 1)
    client = signed_in(tenant_a.headteacher)
    page = client.get(reverse("subscriptions:events", kwargs={"partnership_slug": tenant_a.slug})).content.decode()
    assert _url(tenant_a, "events_export", "csv") in page
    page = client.get(
        reverse("subscriptions:event", kwargs={"partnership_slug": tenant_a.slug, "event_pk": event.pk})
    ).content.decode()
    assert _url(tenant_a, "event_export", "xlsx", event_pk=event.pk) in page and "Download as spreadsheet" in page
