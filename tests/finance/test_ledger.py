"""The banker school's ledger: the balance is the sum of the entries, corrections are reversing
entries, and the database itself refuses to change or remove an entry."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django_scopes import scope, scopes_disabled

from finance.models import LedgerEntry
from finance.selectors import ledger_balance, ledger_rows
from finance.services.ledger import ledger_entry_record, ledger_entry_reverse
from finance.services.years import contribution_scheme_set
from tests.factories.finance import funded_year

pytestmark = pytest.mark.django_db
D = datetime.date


def _record(tenant, year, amount, kind="interest", **kwargs):
    kwargs = {"posted_on": D(2026, 5, 1), "description": "Bank interest"} | kwargs
    with scope(partnership=tenant.partnership):
        return ledger_entry_record(actor=tenant.coordinator, year=year, kind=kind, amount=Decimal(amount), **kwargs)


def test_the_balance_is_the_sum_of_the_entries_after_corrections(tenant_a):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    grant = _record(tenant_a, year, "5000.00", kind="grant_income", description="Extended Schools funding")
    _record(tenant_a, year, "12.34")
    with scope(partnership=tenant_a.partnership):
        ledger_entry_reverse(actor=tenant_a.coordinator, entry=grant, reason="It was £500")
        with pytest.raises(ValidationError, match="already been corrected"):
            ledger_entry_reverse(actor=tenant_a.coordinator, entry=grant, reason="Again")
    _record(tenant_a, year, "500.00", kind="grant_income", description="Extended Schools funding")
    with scopes_disabled():
        amounts = list(LedgerEntry.objects.values_list("amount", flat=True))
        assert ledger_balance(tenant_a.partnership) == sum(amounts) == Decimal("512.34")
        rows = ledger_rows(tenant_a.partnership, year)
    # In date order: the correction is posted today, after the second grant in May.
    assert [balance for _, balance in rows] == [
        Decimal("5000.00"),
        Decimal("5012.34"),
        Decimal("5512.34"),
        Decimal("512.34"),
    ]


@pytest.mark.parametrize("statement", ["UPDATE finance_ledgerentry SET amount = 1", "DELETE FROM finance_ledgerentry"])
def test_the_database_refuses_to_change_or_remove_an_entry(tenant_a, statement):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    entry = _record(tenant_a, year, "12.34")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(description="Changed")
    with scopes_disabled():
        assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("12.34")


def test_a_fixed_administration_amount_is_posted_once_and_adjusted_never_edited(tenant_a):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False, admin_fixed_amount="250.00")
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(
            actor=tenant_a.coordinator,
            year=year,
            basis="per_fte",
            rate=Decimal("2.00"),
            admin_fixed_amount=Decimal("250.00"),
        )
        contribution_scheme_set(
            actor=tenant_a.coordinator,
            year=year,
            basis="per_fte",
            rate=Decimal("2.00"),
            admin_fixed_amount=Decimal("300.00"),
        )
    with scopes_disabled():
        shares = list(LedgerEntry.objects.filter(kind="admin_share").values_list("amount", flat=True))
    assert shares == [Decimal("-250.00"), Decimal("-50.00")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "0.00"}, "amount", "more than £0.00"),
        ({"amount": "1.234"}, "amount", "pounds and pence"),
        ({"kind": "contribution"}, "kind", "Select what the money is"),
        ({"posted_on": D(2026, 3, 31)}, "posted_on", "in the financial year 2026-27"),
        ({"posted_on": D(2099, 1, 1)}, "posted_on", "today or in the past"),
        ({"description": " "}, "description", "Enter what the money is for"),
    ],
)
def test_bad_entries_are_refused_by_the_field(tenant_a, changes, field, message):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    amount = changes.pop("amount", "10.00")
    with scopes_disabled():
        before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _record(tenant_a, year, amount, **changes)
    assert message in raised.value.message_dict[field][0]
    with scopes_disabled():
        assert LedgerEntry.objects.count() == before
