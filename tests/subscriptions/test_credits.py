"""Credits: the seed's tariff, the ledger that can never go below nothing (even with twenty bookings at
the same moment on PostgreSQL), cancellations by the cut-off, and the true-up of the actual time."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from subscriptions.models import Booking, CreditEntry
from subscriptions.selectors import credit_statement, hours_problem, tariff_credits
from subscriptions.services.bookings import booking_actuals_record, booking_cancel, booking_create
from subscriptions.services.plans import subscription_start
from tests.factories.subscriptions import balance, subscribed, tariff

D = datetime.date
H = Decimal
NOV_2 = D(2026, 11, 2)


@pytest.fixture
def clock(settings, monkeypatch):
    """Today is 1 October 2026: the 2026/27 subscription year has begun."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 10, 1))
    return D(2026, 10, 1)


# --- The tariff (one rule, subscriptions.selectors.tariff_credits) -----------------------------------------


@pytest.mark.django_db
def test_the_seed_tariff(tenant_a):
    items = tariff(tenant_a.partnership)
    assert tariff_credits(items["visit"], hours=H("3"), report=True) == 5
    assert tariff_credits(items["visit"], hours=H("3"), report=False) == 3
    assert tariff_credits(items["visit"], hours=H("1.5")) == H("1.5")
    assert tariff_credits(items["network"], attendees=2, whole_day=True) == 4
    assert tariff_credits(items["network"], attendees=1, whole_day=False) == 1
    assert tariff_credits(items["conference"], attendees=3) == 0


@pytest.mark.parametrize(
    ("hours", "says"),
    [
        (None, "Enter the hours"),
        (H("-1"), "more than 0"),
        (H("0"), "more than 0"),
        (H("8.5"), "8 or fewer: that is a school day"),
        (H("2.25"), "in half hours"),
    ],
)
def test_hours_must_be_half_hours_within_a_school_day(hours, says):
    assert says in hours_problem(hours)


def test_half_hours_and_a_full_day_are_fine():
    assert hours_problem(H("0.5")) == hours_problem(H("8")) == hours_problem(H("2.5")) == ""


# --- Subscribing ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_subscribing_grants_the_years_credits_once(tenant_a):
    subscription = subscribed(tenant_a)
    assert balance(subscription) == 60
    with scopes_disabled(), pytest.raises(ValidationError, match="already subscribes for 2026/27"):
        subscription_start(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            plan=subscription.plan,
            year=2026,
        )
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="subscriptions.started").count() == 1


@pytest.mark.django_db
def test_credits_carry_over_where_the_plan_says_so(tenant_a, clock):
    first = subscribed(tenant_a, year=2025, carry_over=True)
    with scopes_disabled():
        second = subscription_start(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            plan=first.plan,
            year=2026,
        )
    assert balance(first) == 0 and balance(second) == 120


# --- Bookings ---------------------------------------------------------------------------------------------


def _book(tenant, subscription, item, *, hours="3", report=True, on=NOV_2):
    with scopes_disabled():
        return booking_create(
            actor=tenant.headteacher, subscription=subscription, item=item, on=on, hours=H(hours), report=report
        )


@pytest.mark.django_db
def test_a_booking_takes_its_credits_and_one_beyond_the_balance_changes_nothing(tenant_a, clock):
    subscription = subscribed(tenant_a, credits="6")
    visit = tariff(tenant_a.partnership)["visit"]
    booking = _book(tenant_a, subscription, visit)
    assert booking.credits == 5 and balance(subscription) == 1
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, subscription, visit, hours="2", report=False)
    assert refused.value.message_dict["hours"] == [
        f"This needs 2 credits and {tenant_a.schools[0].name} has 1 credit left this year"
    ]
    with scopes_disabled():
        assert Booking.objects.count() == 1 and CreditEntry.objects.count() == 2
        assert AuditEvent.objects.filter(action="subscriptions.booking_made").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours": "9"}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"on": D(2026, 9, 30)}, "on"),  # yesterday
        ({"on": D(2027, 9, 1)}, "on"),  # next year's
    ],
)
def test_bad_bookings_are_refused_at_the_field(tenant_a, clock, change, field):
    subscription = subscribed(tenant_a)
    visit = tariff(tenant_a.partnership)["visit"]
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, subscription, visit, **change)
    assert field in refused.value.message_dict
    assert balance(subscription) == 60


@pytest.mark.django_db
def test_an_event_is_not_booked_as_an_advisers_visit(tenant_a, clock):
    subscription = subscribed(tenant_a)
    with pytest.raises(ValidationError, match="not an adviser's activity"):
        _book(tenant_a, subscription, tariff(tenant_a.partnership)["network"])


@pytest.mark.django_db
def test_cancelling_before_the_cut_off_refunds_in_full_and_after_it_nothing(tenant_a, clock):
    subscription = subscribed(tenant_a)
    visit = tariff(tenant_a.partnership)["visit"]
    early = _book(tenant_a, subscription, visit, on=D(2026, 10, 8))  # 7 days ahead: the cut-off
    late = _book(tenant_a, subscription, visit, on=D(2026, 10, 7))  # 6 days ahead
    assert balance(subscription) == 50
    with scopes_disabled():
        booking_cancel(actor=tenant_a.headteacher, booking=early)
        booking_cancel(actor=tenant_a.headteacher, booking=late)
        with pytest.raises(ValidationError, match="cancelled and cannot be cancelled"):
            booking_cancel(actor=tenant_a.headteacher, booking=late)
    assert balance(subscription) == 55


@pytest.mark.django_db
def test_the_actual_time_trues_up_the_charge_by_the_difference(tenant_a, clock, monkeypatch):
    subscription = subscribed(tenant_a)
    visit = tariff(tenant_a.partnership)["visit"]
    booking = _book(tenant_a, subscription, visit, on=D(2026, 10, 1))  # 3 hours and a report: 5
    with scopes_disabled():
        booking_actuals_record(actor=tenant_a.coordinator, booking=booking, actual_hours=H("4.5"), report_written=True)
    assert balance(subscription) == H("53.5")  # 6.5 in all
    with scopes_disabled():  # corrected: 2 hours, no report
        booking_actuals_record(actor=tenant_a.coordinator, booking=booking, actual_hours=H("2"), report_written=False)
        statement = credit_statement(subscription)
    assert balance(subscription) == 58
    assert (statement.granted, statement.spent, statement.adjusted, statement.balance) == (60, 5, 3, 58)
    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        booking_actuals_record(actor=tenant_a.coordinator, booking=booking, actual_hours=H("10"), report_written=False)
    assert "actual_hours" in refused.value.message_dict


@pytest.mark.django_db
def test_the_credit_ledger_refuses_changes_and_a_negative_balance_in_the_database(tenant_a):
    subscription = subscribed(tenant_a)
    with scopes_disabled():
        entry = CreditEntry.objects.get(subscription=subscription)
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditEntry.objects.filter(pk=entry.pk).update(amount=H("600"))
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditEntry.objects.create(
                subscription=subscription,
                sequence=2,
                kind="booking",
                amount=H("-61"),
                balance_after=H("-1"),
                description="x",
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditEntry.objects.create(
                subscription=subscription,
                sequence=1,
                kind="booking",
                amount=H("-1"),
                balance_after=H("59"),
                description="x",
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file")
@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_at_once_against_ten_credits_take_exactly_ten(tenant_a, clock):
    subscription = subscribed(tenant_a, credits="10")
    visit = tariff(tenant_a.partnership)["visit"]
    start = threading.Barrier(20)
    answers: list[str] = []

    def book():
        try:
            start.wait(timeout=30)
            with scopes_disabled():
                booking_create(
                    actor=tenant_a.headteacher,
                    subscription=subscription,
                    item=visit,
                    on=D(2026, 11, 2),
                    hours=H("1"),
                    report=False,
                )
            answers.append("booked")
        except ValidationError:
            answers.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == ["booked"] * 10 + ["refused"] * 10
    assert balance(subscription) == 0
    with scopes_disabled():
        entries = list(CreditEntry.objects.filter(subscription=subscription).order_by("sequence"))
        assert [e.sequence for e in entries] == list(range(1, 12))
        assert Booking.objects.count() == 10


@pytest.mark.django_db
def test_unspent_credits_lapse_once_when_the_year_has_ended_unless_the_plan_carries_them(tenant_a):
    from subscriptions.tasks import lapse_unspent_credits
    from tests.clock import on_day

    lapsing = subscribed(tenant_a, year=2025)
    carrying = subscribed(tenant_a, year=2025, school=tenant_a.schools[1], carry_over=True, credits="30")
    with on_day(D(2026, 8, 31)):
        assert lapse_unspent_credits(partnership_id=tenant_a.partnership.pk) == 0  # the year has not ended
    with on_day(D(2026, 9, 1)):
        assert lapse_unspent_credits(partnership_id=tenant_a.partnership.pk) == 1
        assert lapse_unspent_credits(partnership_id=tenant_a.partnership.pk) == 0
    assert balance(lapsing) == 0 and balance(carrying) == 30
    with scopes_disabled():
        assert credit_statement(lapsing).lapsed == 60


@pytest.mark.django_db
def test_the_statement_downloads_as_a_tagged_pdf_that_reads_back(tenant_a, client):
    import subprocess

    subscription = subscribed(tenant_a)
    client.force_login(tenant_a.coordinator)
    response = client.get(f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/statement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert tenant_a.schools[0].name.encode() in text and b"Credits for the year" in text
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info and "Statement of credits" in info


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0.25", "-1.3", "0"])
def test_the_ledger_refuses_amounts_the_tariff_cannot_produce(tenant_a, amount):
    from subscriptions.services.credits import credit_append

    subscription = subscribed(tenant_a)
    with scopes_disabled(), pytest.raises(ValidationError, match="whole or half credits"):
        credit_append(subscription=subscription, kind="adjustment", amount=H(amount), description="x")
    assert balance(subscription) == 60
