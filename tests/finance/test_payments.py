"""Recording payments against requests: part payments, overpayment only with a confirmation, the
administration share, reversals, bad input, and two payments at the same moment on PostgreSQL."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from finance.models import LedgerEntry, Payment
from finance.selectors import ledger_balance, outstanding_on
from finance.services.contributions import payment_record, payment_reverse
from tests.factories.finance import funded_year

D = datetime.date


def _pay(tenant, request, amount, **kwargs):
    kwargs = {"received_on": D(2026, 4, 20), "method": "bank_transfer"} | kwargs
    with scope(partnership=tenant.partnership):
        return payment_record(actor=tenant.coordinator, request=request, amount=Decimal(amount), **kwargs)


def _state(tenant):
    with scopes_disabled():
        return (
            Payment.objects.count(),
            LedgerEntry.objects.count(),
            AuditEvent.objects.filter(action__startswith="finance.payment").count(),
        )


@pytest.mark.django_db
def test_part_payments_reduce_what_is_outstanding_and_reach_the_ledger_with_the_admin_share(tenant_a):
    year, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20), admin_share_percent="5")
    request = next(r for r in requests if r.school == tenant_a.schools[0])  # £409.00
    _pay(tenant_a, request, "200.00", reference="BACS 1")
    _pay(tenant_a, request, "9.99", method="cheque")
    with scopes_disabled():
        assert outstanding_on(request) == Decimal("199.01")
        entries = list(LedgerEntry.objects.filter(year=year).values_list("kind", "amount"))
        # 5% of £9.99 is 49.95p: half up to 50p.
        assert entries == [
            ("contribution", Decimal("200.00")),
            ("admin_share", Decimal("-10.00")),
            ("contribution", Decimal("9.99")),
            ("admin_share", Decimal("-0.50")),
        ]
        assert ledger_balance(tenant_a.partnership) == Decimal("199.49")


@pytest.mark.django_db
def test_an_overpayment_is_refused_without_confirmation_and_kept_as_a_credit_with_it(tenant_a):
    _, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))
    request = requests[0]
    before = _state(tenant_a)
    with pytest.raises(ValidationError) as raised:
        _pay(tenant_a, request, str(request.amount + Decimal("0.01")))
    assert raised.value.error_dict["amount"][0].code == "overpayment"
    assert "more than is owed" in raised.value.message_dict["amount"][0]
    assert _state(tenant_a) == before
    _pay(tenant_a, request, str(request.amount + Decimal("0.01")), confirm_overpayment=True)
    with scopes_disabled():
        assert outstanding_on(request) == Decimal("-0.01")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": Decimal("-5")}, "amount", "more than £0.00"),
        ({"amount": Decimal("0")}, "amount", "more than £0.00"),
        ({"amount": Decimal("1.001")}, "amount", "pounds and pence"),
        ({"amount": Decimal("99999999")}, "amount", "£10,000,000 or less"),
        ({"received_on": D(2099, 1, 1)}, "received_on", "today or in the past"),
        ({"received_on": D(2026, 3, 1)}, "received_on", "on or after 20 March 2026"),
        ({"method": "credit_brought"}, "method", "Select how the school paid"),
        ({"reference": "x" * 101}, "reference", "100 characters or fewer"),
    ],
)
def test_bad_payments_are_refused_by_the_field_and_change_nothing(tenant_a, changes, field, message):
    _, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))
    before = _state(tenant_a)
    kwargs = {"amount": Decimal("10.00"), "received_on": D(2026, 4, 20), "method": "bank_transfer"} | changes
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as raised:
        payment_record(actor=tenant_a.coordinator, request=requests[0], **kwargs)
    assert message in raised.value.message_dict[field][0]
    assert _state(tenant_a) == before


@pytest.mark.django_db
def test_a_reversed_payment_stays_and_the_balance_is_the_sum_of_the_entries(tenant_a):
    _, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20), admin_share_percent="10")
    request = requests[0]
    payment = _pay(tenant_a, request, "100.00")
    with scope(partnership=tenant_a.partnership):
        reversal = payment_reverse(actor=tenant_a.coordinator, payment=payment, reason="Wrong school")
        with pytest.raises(ValidationError, match="already been reversed"):
            payment_reverse(actor=tenant_a.coordinator, payment=payment, reason="Again")
        with pytest.raises(ValidationError, match="Only a payment received"):
            payment_reverse(actor=tenant_a.coordinator, payment=reversal, reason="Undo the undo")
    with scopes_disabled():
        assert outstanding_on(request) == request.amount
        kinds = list(LedgerEntry.objects.values_list("kind", "amount"))
        assert kinds == [
            ("contribution", Decimal("100.00")),
            ("admin_share", Decimal("-10.00")),
            ("reversal", Decimal("-100.00")),
            ("reversal", Decimal("10.00")),
        ]
        assert ledger_balance(tenant_a.partnership) == Decimal("0.00") == sum(a for _, a in kinds)
        assert Payment.objects.filter(pk=payment.pk).exists()


# --- Two payments at the same moment ---------------------------------------------------------------------


def _waiting_on_locks() -> int:
    """Sessions waiting for a lock now (pg_locks is live; pg_stat_activity is a snapshot per transaction)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file")
@pytest.mark.django_db(transaction=True)
def test_two_payments_posted_at_once_that_together_overpay_one_is_taken_and_one_asks_to_confirm(tenant_a):
    """Both requests reach the server while the request's row is held by a third transaction, so
    both are waiting on it at once; when it is let go, the lock lets them check the balance one at a
    time. Without the lock both would read £409.00 outstanding and both would be taken."""
    import time

    from django.db import transaction

    from finance.models import ContributionRequest

    _, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))
    request = next(r for r in requests if r.school == tenant_a.schools[0])  # £409.00
    url = f"/p/{tenant_a.slug}/finance/requests/{request.pk}/pay/"
    answers = []

    def post(amount):
        client = Client()
        client.force_login(tenant_a.coordinator)
        try:
            response = client.post(
                url,
                {"amount": amount, "received_on": "2026-04-20", "method": "bank_transfer", "reference": amount},
            )
            answers.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(amount,)) for amount in ("300.00", "200.00")]
    with transaction.atomic(), scopes_disabled():
        ContributionRequest.objects.select_for_update().get(pk=request.pk)  # hold the row
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while _waiting_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_locks() == 2, "both payments should be waiting on the request's row"
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [302, 400]
    with scopes_disabled():
        paid = list(Payment.objects.filter(request=request).values_list("amount", flat=True))
        assert len(paid) == 1 and outstanding_on(request) == request.amount - paid[0]
        assert ledger_balance(tenant_a.partnership) == paid[0]
