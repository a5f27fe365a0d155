"""Spending and grants: those who see the partnership's finances see its spending, receipts and
grants; the coordinator (and the banker school's finance officer) records them."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from core.files import PDF, private_storage, stored_name
from finance.models import BudgetLine, Expense, Grant, GrantAllocation, LedgerEntry
from partnerships.roles import Role
from tests.factories.documents import pdf_bytes
from tests.security.registry.finance import _year

R = Role
_VIEWERS = {R.COORDINATOR, R.CHAIR, R.VICE_CHAIR, R.HEADTEACHER, R.FINANCE_OFFICER}  # view_finance
_COORDINATOR = {R.COORDINATOR}  # records money (the tenants name no banker school)


def _entry(tenant, year, kind, amount, description):
    return LedgerEntry.objects.create(
        partnership=tenant.partnership,
        year_id=year,
        posted_on=datetime.date(2026, 5, 1),
        kind=kind,
        amount=amount,
        description=description,
    )


def _expense(tenant):
    """An expense of the tenant's 2026-27 year with a PDF receipt in private storage."""
    year = _year(tenant)
    expense = Expense.objects.filter(year_id=year).first()
    if expense is None:
        content = pdf_bytes(1, "Receipt")
        expense = Expense.objects.create(
            partnership=tenant.partnership,
            year_id=year,
            budget_line=BudgetLine.objects.filter(year_id=year).first(),
            supplier="Exeter Coaches Ltd",
            description="Coach hire",
            amount=Decimal("120.00"),
            spent_on=datetime.date(2026, 5, 1),
            receipt=private_storage.save(stored_name(f"receipts/{tenant.partnership.pk}", PDF), ContentFile(content)),
            receipt_name="receipt.pdf",
            receipt_type=PDF,
            receipt_size=len(content),
            entry=_entry(tenant, year, LedgerEntry.Kind.EXPENSE, Decimal("-120.00"), "Coach hire"),
            recorded_by=tenant.coordinator,
        )
    return expense.pk


def _grant(tenant):
    """Extended Schools funding in the tenant's 2026-27 year, with one allocation."""
    year = _year(tenant)
    grant = Grant.objects.filter(year_id=year).first()
    if grant is None:
        grant = Grant.objects.create(
            partnership=tenant.partnership,
            year_id=year,
            name="Extended Schools funding",
            funder="Devon County Council",
            amount=Decimal("18000.00"),
            received_on=datetime.date(2026, 5, 1),
            entry=_entry(tenant, year, LedgerEntry.Kind.GRANT_INCOME, Decimal("18000.00"), "Extended Schools"),
            recorded_by=tenant.coordinator,
        )
        GrantAllocation.objects.create(
            grant=grant,
            school=tenant.schools[0],
            amount=Decimal("1500.00"),
            allocated_on=datetime.date(2026, 5, 4),
            entry=_entry(tenant, year, LedgerEntry.Kind.GRANT_ALLOCATED, Decimal("-1500.00"), "Extended Schools"),
            recorded_by=tenant.coordinator,
        )
    return grant.pk


OBJECT_KWARGS = {"expense_pk": _expense, "grant_pk": _grant}

ALLOWED = {
    "finance:spending": _VIEWERS,
    "finance:receipt": _VIEWERS,
    "finance:grants": _VIEWERS,
    "finance:expense_record": _COORDINATOR,
    "finance:grant_record": _COORDINATOR,
    "finance:grant_allocate": _COORDINATOR,
}
