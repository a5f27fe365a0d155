"""Every finance page and download runs the same number of queries for a partnership of a few schools as
for one of 200 with a year of entries: requests, payments, their ledger entries, spending and a grant's
allocations, school by school."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope

from core.testing import assert_constant_queries
from finance.models import ContributionRequest, Expense, GrantAllocation, LedgerEntry, Payment
from finance.services.contributions import payment_record
from finance.services.spending import expense_record, grant_allocate, grant_record
from tests.factories.finance import funded_year
from tests.factories.partnerships import MembershipFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SCHOOLS = 200


def _small(tenant):
    year, requests = funded_year(tenant, start_year=2026, dated=D(2026, 3, 20), admin_share_percent="5")
    with scope(partnership=tenant.partnership):
        payment_record(
            actor=tenant.coordinator,
            request=requests[0],
            amount=Decimal("50.00"),
            received_on=D(2026, 4, 20),
            method="cheque",
        )
        line = year.budget_lines.get(category="events")
        expense_record(
            actor=tenant.coordinator,
            year=year,
            budget_line=line,
            amount=Decimal("20.00"),
            spent_on=D(2026, 5, 2),
            supplier="Hall hire Ltd",
            description="Hall",
        )
        grant = grant_record(
            actor=tenant.coordinator,
            year=year,
            name="Extended Schools funding",
            funder="Devon County Council",
            amount=Decimal("500000.00"),
            received_on=D(2026, 5, 1),
        )
        grant_allocate(
            actor=tenant.coordinator,
            grant=grant,
            school=tenant.schools[0],
            amount=Decimal("10.00"),
            allocated_on=D(2026, 5, 3),
        )
    return year, requests, line, grant


def _grow(tenant, year, line, grant):
    """200 more member schools, each asked, each paying, each with an expense and a grant allocation."""
    schools = [MembershipFactory(partnership=tenant.partnership).school for _ in range(SCHOOLS)]
    start = ContributionRequest.objects.order_by("-number").first().number
    requests = ContributionRequest.objects.bulk_create(
        ContributionRequest(
            partnership=tenant.partnership,
            year=year,
            school=school,
            number=start + n + 1,
            dated=D(2026, 3, 20),
            due=D(2026, 4, 1),
            amount=Decimal("409.00"),
            created_by=tenant.coordinator,
        )
        for n, school in enumerate(schools)
    )
    days = [D(2026, 4, 2) + datetime.timedelta(days=n % 200) for n in range(SCHOOLS)]
    payments = Payment.objects.bulk_create(
        Payment(
            request=r, received_on=day, amount=Decimal("100.00"), method="bank_transfer", recorded_by=tenant.coordinator
        )
        for r, day in zip(requests, days, strict=True)
    )

    def entry(kind, amount, day, **kwargs):
        return LedgerEntry(
            partnership=tenant.partnership,
            year=year,
            posted_on=day,
            kind=kind,
            amount=amount,
            description=kind,
            **kwargs,
        )

    LedgerEntry.objects.bulk_create(
        entry("contribution", p.amount, p.received_on, payment=p, school_id=p.request.school_id) for p in payments
    )
    spent = LedgerEntry.objects.bulk_create(entry("expense", Decimal("-5.00"), day, budget_line=line) for day in days)
    Expense.objects.bulk_create(
        Expense(
            partnership=tenant.partnership,
            year=year,
            budget_line=line,
            supplier=f"Supplier {n}",
            description="Supplies",
            amount=Decimal("5.00"),
            spent_on=e.posted_on,
            entry=e,
            recorded_by=tenant.coordinator,
        )
        for n, e in enumerate(spent)
    )
    given = LedgerEntry.objects.bulk_create(
        entry("grant_allocated", Decimal("-10.00"), day, school=school)
        for day, school in zip(days, schools, strict=True)
    )
    GrantAllocation.objects.bulk_create(
        GrantAllocation(
            grant=grant,
            school=e.school,
            amount=Decimal("10.00"),
            allocated_on=e.posted_on,
            entry=e,
            recorded_by=tenant.coordinator,
        )
        for e in given
    )


PAGES = [
    "",
    "export.xlsx",
    "summary/",
    "overdue/",
    "overdue/export.xlsx",
    "statements/",
    "statements/{school}/",
    "statements/{school}/pdf/",
    "{year}/",
    "{year}/contributions/",
    "{year}/contributions/export.csv",
    "{year}/ledger/",
    "{year}/ledger/export.xlsx",
    "{year}/report/",
    "{year}/report/workbook/",
    "{year}/spending/",
    "{year}/spending/export.csv",
    "{year}/grants/",
    "{year}/grants/export.xlsx",
    "requests/{request}/",
    "requests/{request}/pdf/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_finance_page_runs_the_same_queries_for_200_schools_and_a_year_of_entries(tenant_a, client_for, path):
    year, requests, line, grant = _small(tenant_a)
    url = f"/p/{tenant_a.slug}/finance/" + path.format(
        year=year.pk, request=requests[0].pk, school=tenant_a.schools[0].pk
    )
    assert_constant_queries(
        client_for(tenant_a.coordinator), url, grow=lambda: _grow(tenant_a, year, line, grant), at_most=25
    )
