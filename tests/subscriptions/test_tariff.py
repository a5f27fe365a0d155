"""The coordinator edits the tariff: rates that would make a booking cost other than whole or half
credits are refused at their field; a change applies to new bookings only."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from subscriptions.models import TariffItem
from subscriptions.selectors import tariff_credits
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.subscriptions import tariff

pytestmark = pytest.mark.django_db


def _post(client, tenant, data, item=None):
    client.force_login(tenant.coordinator)
    url = f"/p/{tenant.slug}/subscriptions/tariff/{item.pk}/" if item else f"/p/{tenant.slug}/subscriptions/tariff/new/"
    return client.post(url, data)


def test_the_coordinator_adds_an_activity_and_it_costs_what_it_says(client, tenant_a):
    response = _post(
        client,
        tenant_a,
        {
            "name": "Support with safeguarding",
            "kind": "adviser_activity",
            "credits_per_hour": "2",
            "report_credits": "1.5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        item = TariffItem.objects.get(name="Support with safeguarding")
    assert tariff_credits(item, hours=Decimal("2.5"), report=True) == Decimal("6.5")


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"kind": "adviser_activity", "credits_per_hour": "1.5"}, "credits_per_hour", "whole number"),
        ({"kind": "adviser_activity", "report_credits": "0.3"}, "report_credits", "whole or half credits"),
        ({"kind": "network_event", "whole_day_credits": "-1"}, "whole_day_credits", "0 or more"),
        ({"kind": "open_event", "member_price": "95.00"}, "non_member_price", "Enter the price for other schools"),
        ({"kind": "open_event", "member_price": "95.00", "non_member_price": "50.00"}, "non_member_price", "premium"),
        ({"kind": "adviser_activity", "credits_per_hour": "lots"}, "credits_per_hour", "as a number"),
    ],
)
def test_rates_the_ledger_cannot_take_are_refused_at_their_field(client, tenant_a, data, field, says):
    response = _post(client, tenant_a, {"name": "Something new"} | data)
    assert response.status_code == 400
    assert says in response.content.decode()
    with scopes_disabled():
        assert not TariffItem.objects.filter(name="Something new").exists()


def test_a_rate_change_leaves_bookings_already_made_as_charged(client, tenant_a):
    from subscriptions.services.bookings import booking_create
    from tests.clock import on_day
    from tests.factories.subscriptions import subscribed

    visit = tariff(tenant_a.partnership)["visit"]
    subscription = subscribed(tenant_a)
    with on_day(datetime.date(2026, 10, 1)), scopes_disabled():
        booking = booking_create(
            actor=tenant_a.headteacher,
            subscription=subscription,
            item=visit,
            on=datetime.date(2026, 11, 2),
            hours=Decimal("3"),
            report=True,
        )
    response = _post(
        client,
        tenant_a,
        {
            "name": visit.name,
            "kind": "adviser_activity",
            "credits_per_hour": "2",
            "report_credits": "2",
            "active": "on",
        },
        visit,
    )
    assert response.status_code == 302
    with scopes_disabled():
        booking.refresh_from_db()
        visit.refresh_from_db()
    assert booking.credits == 5 and visit.credits_per_hour == 2


def test_the_tariff_downloads_each_activitys_rates_as_numbers(client, tenant_a, tenant_b):
    items = tariff(tenant_a.partnership)
    tariff(tenant_b.partnership)
    with scopes_disabled():
        TariffItem.objects.filter(pk=items["network"].pk).update(name='=HYPERLINK("x")', active=False)
    url = f"/p/{tenant_a.slug}/subscriptions/tariff/export."
    client.force_login(tenant_a.coordinator)
    assert url + "csv" in client.get(f"/p/{tenant_a.slug}/subscriptions/tariff/").content.decode()
    sheet = xlsx_rows(client.get(url + "xlsx"))
    assert sheet[0][:3] == ("Activity", "Kind", "Offered")
    by_name = {row[0]: row for row in sheet[1:]}
    assert set(by_name) == {"Support for middle leaders", '\'=HYPERLINK("x")', "Annual conference"}
    assert by_name["Support for middle leaders"][2:] == ("Yes", 1, 2, None, None, None, None)
    assert by_name["Annual conference"][7:] == (95, 140)
    assert by_name['\'=HYPERLINK("x")'][2] == "No"
    client.force_login(tenant_a.headteacher)  # the school sees only what is offered
    rows = csv_rows(client.get(url + "csv"))
    assert [row[0] for row in rows[1:]] == ["Support for middle leaders", "Annual conference"]
    assert rows[2][7:] == ["95.00", "140.00"]


def test_the_tariff_download_runs_the_same_queries_however_long_the_tariff(client, tenant_a):
    tariff(tenant_a.partnership)
    client.force_login(tenant_a.coordinator)

    def grow():
        TariffItem.objects.bulk_create(
            TariffItem(partnership=tenant_a.partnership, name=f"Activity {n}", kind=TariffItem.Kind.ADVISER_ACTIVITY)
            for n in range(50)
        )

    assert_constant_queries(client, f"/p/{tenant_a.slug}/subscriptions/tariff/export.xlsx", grow=grow, at_most=8)
