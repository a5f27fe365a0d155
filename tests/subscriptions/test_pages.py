"""The subscription pages: a headteacher books an adviser's time, sees the cost before confirming and
the balance fall; bad input is refused at its field with nothing written; the adviser records the time;
another school's people never see the credits; the pages' queries do not grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries, count_queries
from partnerships.roles import Role
from subscriptions.models import Booking, CreditEntry
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import give_role
from tests.factories.subscriptions import balance, subscribed, tariff

D = datetime.date


@pytest.mark.django_db
def test_a_headteacher_checks_the_cost_then_books_and_the_balance_falls(tenant_a, clock):
    subscription = subscribed(tenant_a)
    visit = tariff(tenant_a.partnership)["visit"]
    client = signed_in(tenant_a.headteacher)
    url = f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/book/"
    assert client.get(url).status_code == 200
    data = {"item": visit.pk, "on": "2026-11-02", "hours": "3", "report": "on", "notes": "Maths leaders"}
    check = client.post(url, data)
    assert check.status_code == 200
    page = check.content.decode()
    assert "Check the booking" in page and "5 credits" in page and "55 credits of 60" in page
    with scopes_disabled():
        assert not Booking.objects.exists()  # checking the cost writes nothing
    booked = client.post(url, data | {"confirm": "True"})
    assert booked.status_code == 302
    assert balance(subscription) == 55
    statement = client.get(booked["Location"]).content.decode()
    assert "Support for middle leaders" in statement and "55 credits" in statement


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"hours": "9"}, "hours", "8 or fewer"),
        ({"hours": "-2"}, "hours", "more than 0"),
        ({"hours": "2.25"}, "hours", "half hours"),
        ({"hours": "lots"}, "hours", "as a number of hours"),
        ({"on": "2026-02-30"}, "on", "real date"),
        ({"hours": "8", "report": "on", "confirm": "True"}, "hours", "has 6 credits left"),
    ],
)
def test_bad_bookings_get_a_message_at_the_field_and_nothing_changes(tenant_a, clock, change, field, says):
    subscription = subscribed(tenant_a, credits="6")
    visit = tariff(tenant_a.partnership)["visit"]
    url = f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/book/"
    data = {"item": visit.pk, "on": "2026-11-02", "hours": "3"} | change
    response = signed_in(tenant_a.headteacher).post(url, data)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert balance(subscription) == 6
    with scopes_disabled():
        assert not Booking.objects.exists()


@pytest.mark.django_db
def test_the_adviser_records_the_time_and_the_charge_is_trued_up(tenant_a, clock):
    subscription = subscribed(tenant_a)
    visit = tariff(tenant_a.partnership)["visit"]
    with scopes_disabled():
        adviser = UserFactory(full_name="An Adviser")
        give_role(adviser, tenant_a.partnership, Role.ADVISER, tenant_a.schools[0])
        from subscriptions.services.bookings import booking_create

        booking = booking_create(
            actor=tenant_a.headteacher,
            subscription=subscription,
            item=visit,
            on=D(2026, 10, 1),
            hours=Decimal("3"),
            report=True,
        )
    url = f"/p/{tenant_a.slug}/subscriptions/bookings/{booking.pk}/time/"
    assert signed_in(tenant_a.headteacher).get(url).status_code == 403  # the school books; its adviser records
    client = signed_in(adviser)
    assert client.post(url, {"actual_hours": "12"}).status_code == 400
    assert client.post(url, {"actual_hours": "4", "report_written": "on"}).status_code == 302
    assert balance(subscription) == 54


@pytest.mark.django_db
def test_another_schools_people_do_not_see_its_credits(tenant_a, clock):
    subscription = subscribed(tenant_a)
    with scopes_disabled():
        other_head = UserFactory()
        give_role(
            other_head,
            tenant_a.partnership,
            Role.HEADTEACHER,
            tenant_a.schools[1],
            start=D(2024, 9, 1),
            end=D(2025, 3, 1),
        )
        governor = UserFactory()
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[0])
    client = signed_in(tenant_a.coordinator)
    index = client.get(f"/p/{tenant_a.slug}/subscriptions/").content.decode()
    assert tenant_a.schools[0].name in index
    assert f"/p/{tenant_a.slug}/subscriptions/export.csv" in index
    rows = csv_rows(client.get(f"/p/{tenant_a.slug}/subscriptions/export.csv"))
    assert rows == [
        ["School", "URN", "Plan", "Credits left"],
        [tenant_a.schools[0].name, str(tenant_a.schools[0].urn), subscription.plan.name, "60.0"],
    ]
    sheet = xlsx_rows(signed_in(governor).get(f"/p/{tenant_a.slug}/subscriptions/export.xlsx"))
    assert sheet[1] == (tenant_a.schools[0].name, tenant_a.schools[0].urn, subscription.plan.name, 60)
    assert signed_in(governor).get(f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/").status_code == 200
    assert signed_in(governor).get(f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/book/").status_code == 403
    with scopes_disabled():
        chair = UserFactory()
        give_role(chair, tenant_a.partnership, Role.CHAIR)
    assert signed_in(chair).get(f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/").status_code == 404
    assert len(csv_rows(signed_in(chair).get(f"/p/{tenant_a.slug}/subscriptions/export.csv"))) == 1  # the heading


@pytest.mark.django_db
def test_the_index_and_statement_run_the_same_queries_for_many_schools_and_entries(tenant_a, clock):
    from subscriptions.services.bookings import booking_create
    from subscriptions.services.plans import subscription_start
    from tests.factories.partnerships import MembershipFactory

    subscription = subscribed(tenant_a)
    visit = tariff(tenant_a.partnership)["visit"]
    client = signed_in(tenant_a.coordinator)

    def grow():
        for _ in range(200):  # the size: 200 schools and a year of entries
            school = MembershipFactory(partnership=tenant_a.partnership).school
            subscription_start(
                actor=tenant_a.coordinator,
                partnership=tenant_a.partnership,
                school=school,
                plan=subscription.plan,
                year=2026,
            )
        for n in range(50):
            booking_create(
                actor=tenant_a.headteacher,
                subscription=subscription,
                item=visit,
                on=D(2026, 10, 2) + datetime.timedelta(days=n * 6),
                hours=Decimal("1"),
                report=False,
            )

    index = f"/p/{tenant_a.slug}/subscriptions/"
    export = index + "export.xlsx"
    statement_export = f"{index}{subscription.pk}/export.xlsx"
    client.get(index)
    client.get(export)
    small, _ = count_queries(client, index)
    small_exports = [count_queries(client, export)[0], count_queries(client, statement_export)[0]]
    assert_constant_queries(client, f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/", grow=grow, at_most=20)
    large, queries = count_queries(client, index)
    assert small == large <= 20, "\n".join(queries)
    large_exports = [count_queries(client, export)[0], count_queries(client, statement_export)[0]]
    assert small_exports == large_exports and max(large_exports) <= 10
    with scopes_disabled():
        assert CreditEntry.objects.filter(subscription=subscription).count() == 51


@pytest.mark.django_db
def test_the_statement_downloads_every_entry_with_credits_as_numbers(tenant_a, clock):
    from subscriptions.services.bookings import booking_create

    subscription = subscribed(tenant_a)
    with scopes_disabled():
        booking_create(
            actor=tenant_a.headteacher,
            subscription=subscription,
            item=tariff(tenant_a.partnership)["visit"],
            on=D(2026, 10, 12),
            hours=Decimal("3"),
            report=False,
        )
    url = f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/export."
    client = signed_in(tenant_a.headteacher)
    assert url + "csv" in client.get(f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/").content.decode()
    rows = csv_rows(client.get(url + "csv"))
    assert rows[0] == ["Date", "Kind", "What", "Credits", "Left"]
    assert [row[3:] for row in rows[1:]] == [["60.0", "60.0"], ["-3.0", "57.0"]]
    sheet = xlsx_rows(client.get(url + "xlsx"))
    assert sheet[2][3:] == (-3, 57) and isinstance(sheet[2][0], datetime.datetime)
    with scopes_disabled():
        chair = UserFactory()
        give_role(chair, tenant_a.partnership, Role.CHAIR)
    assert signed_in(chair).get(url + "csv").status_code == 404
