"""Finance: the partnership's leaders, headteachers and the finance officer see the years and their
budgets; the coordinator opens years, sets the contributions and sees each school's amount."""

import datetime
from decimal import Decimal

from finance.models import (
    BudgetLine,
    ContributionReminder,
    ContributionRequest,
    ContributionScheme,
    FinancialYear,
    IncomeLine,
    LedgerEntry,
    Payment,
    SharedCost,
)
from partnerships.roles import SCHOOL_ROLES, Role

R = Role
_VIEWERS = {R.COORDINATOR, R.CHAIR, R.VICE_CHAIR, R.HEADTEACHER, R.FINANCE_OFFICER}  # view_finance
_COORDINATOR = {R.COORDINATOR}  # manage_finance
_SCHOOLS_OWN = set(SCHOOL_ROLES)  # view_school_private on the school the role is held for


def _year(tenant):
    """The tenant's 2026-27 year, with a budget line and a per-FTE scheme."""
    year = FinancialYear.objects.filter(partnership=tenant.partnership, label="2026-27").first()
    if year is None:
        year = FinancialYear.objects.create(
            partnership=tenant.partnership,
            starts=datetime.date(2026, 4, 1),
            ends=datetime.date(2027, 3, 31),
            label="2026-27",
            opened_by=tenant.coordinator,
        )
        BudgetLine.objects.create(year=year, category=BudgetLine.Category.ADMINISTRATION, planned=Decimal("500.00"))
        IncomeLine.objects.create(year=year, source=IncomeLine.Source.CONTRIBUTIONS, planned=Decimal("800.00"))
        ContributionScheme.objects.create(
            year=year, basis=ContributionScheme.Basis.PER_FTE, rate=Decimal("2.00"), set_by=tenant.coordinator
        )
    return year.pk


def _request(tenant):
    """A request to the tenant's first school for 2026-27."""
    year = _year(tenant)
    request = ContributionRequest.objects.filter(year_id=year).first()
    if request is None:
        request = ContributionRequest.objects.create(
            partnership=tenant.partnership,
            year_id=year,
            school=tenant.schools[0],
            number=1,
            dated=datetime.date(2026, 3, 20),
            due=datetime.date(2026, 4, 1),
            amount=Decimal("409.00"),
            created_by=tenant.coordinator,
        )
        ContributionReminder.objects.create(
            request=request, sequence=1, sent_on=datetime.date(2026, 4, 15), outstanding=Decimal("409.00")
        )
    return request.pk


def _payment(tenant):
    request = _request(tenant)
    payment = Payment.objects.filter(request_id=request).first() or Payment.objects.create(
        request_id=request,
        received_on=datetime.date(2026, 4, 20),
        amount=Decimal("200.00"),
        method=Payment.Method.BANK_TRANSFER,
        recorded_by=tenant.coordinator,
    )
    return payment.pk


def _cost(tenant):
    year = _year(tenant)
    cost = SharedCost.objects.filter(year_id=year).first()
    if cost is None:
        cost = SharedCost.objects.create(
            partnership=tenant.partnership,
            year_id=year,
            title="Science week",
            total=Decimal("600.00"),
            basis=SharedCost.Basis.EQUAL,
            created_by=tenant.coordinator,
        )
        cost.schools.set(tenant.schools)
    return cost.pk


def _entry(tenant):
    year = _year(tenant)
    entry = LedgerEntry.objects.filter(year_id=year, kind=LedgerEntry.Kind.INTEREST).first()
    if entry is None:
        entry = LedgerEntry.objects.create(
            partnership=tenant.partnership,
            year_id=year,
            posted_on=datetime.date(2026, 4, 30),
            kind=LedgerEntry.Kind.INTEREST,
            amount=Decimal("1.23"),
            description="Bank interest",
        )
    return entry.pk


def _statement_school(tenant):
    """The school the permission test's school roles are held for (tenant.schools[1]): its statement is
    the one they may see, so the matrix shows each school role reaching its own school's statement (a
    role held for another school gets 404: see NOT_FOUND)."""
    return tenant.schools[1].pk


OBJECT_KWARGS = {
    "year_pk": _year,
    "request_pk": _request,
    "payment_pk": _payment,
    "entry_pk": _entry,
    "cost_pk": _cost,
    "school_pk": _statement_school,
    "fmt": lambda tenant: "xlsx",
}
PLAIN_KWARGS = {"fmt": "a download's format (csv or xlsx), no object"}

ALLOWED = {
    "finance:list": _VIEWERS,
    "finance:list_export": _VIEWERS,
    "finance:year": _VIEWERS,
    "finance:open": _COORDINATOR,
    "finance:scheme": _COORDINATOR,
    "finance:budget": _COORDINATOR,
    "finance:close": _COORDINATOR,
    "finance:contributions": _COORDINATOR,
    # Recording the partnership's money: the coordinator, and the banker school's finance officer (the
    # tenants name no banker school, so here only the coordinator).
    "finance:overdue": _COORDINATOR,
    "finance:ledger": _COORDINATOR,
    "finance:ledger_record": _COORDINATOR,
    "finance:request": _COORDINATOR,
    "finance:payment": _COORDINATOR,
    "finance:payment_reverse": _COORDINATOR,
    "finance:entry_reverse": _COORDINATOR,
    "finance:contributions_export": _COORDINATOR,
    "finance:request_add": _COORDINATOR,
    "finance:costs": _COORDINATOR,
    "finance:costs_export": _COORDINATOR,
    "finance:cost_new": _COORDINATOR,
    "finance:cost": _COORDINATOR,
    "finance:ledger_export": _COORDINATOR,
    "finance:overdue_export": _COORDINATOR,
    # The termly report: everyone who sees the partnership's finances; each school's amount outstanding
    # only for those who see every school's.
    "finance:report": _VIEWERS,
    "finance:report_pdf": _VIEWERS,
    "finance:report_xlsx": _VIEWERS,
    "finance:spending_export": _VIEWERS,
    "finance:cost_export": _COORDINATOR,
    "finance:statements_export": _COORDINATOR | _SCHOOLS_OWN,
    "finance:grants_export": _VIEWERS,
    # A school's statement and its requests rest on view_partnership (governors see their school's but
    # not the finance pages): those who record, and the school's own people (every school role here,
    # held for the statement's school). The request's PDF is the first school's, so only the coordinator.
    "finance:statements": _COORDINATOR | _SCHOOLS_OWN,
    "finance:statement": _COORDINATOR | _SCHOOLS_OWN,
    "finance:statement_pdf": _COORDINATOR | _SCHOOLS_OWN,
    "finance:request_pdf": _COORDINATOR,
    # The summary: whoever sees the finance pages, and the local authority's observer where the
    # constitution shares it (the test partnership's agreement does).
    "finance:summary": _VIEWERS | {R.LA_OBSERVER},
}

# A school's statement and requests are its private records: to roles that may not see them they do
# not exist, as a school's budget page does not.
NOT_FOUND = {
    "finance:statement": set(Role) - _COORDINATOR - _SCHOOLS_OWN,
    "finance:statement_pdf": set(Role) - _COORDINATOR - _SCHOOLS_OWN,
    "finance:request_pdf": set(Role) - _COORDINATOR,
}
