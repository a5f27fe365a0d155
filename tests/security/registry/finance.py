"""Finance: the partnership's leaders, headteachers and the finance officer see the years and their
budgets; the coordinator opens years, sets the contributions and sees each school's amount."""

import datetime
from decimal import Decimal

from finance.models import BudgetLine, ContributionScheme, FinancialYear
from partnerships.roles import Role

R = Role
_VIEWERS = {R.COORDINATOR, R.CHAIR, R.VICE_CHAIR, R.HEADTEACHER, R.FINANCE_OFFICER}  # view_finance
_COORDINATOR = {R.COORDINATOR}  # manage_finance


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
        ContributionScheme.objects.create(
            year=year, basis=ContributionScheme.Basis.PER_FTE, rate=Decimal("2.00"), set_by=tenant.coordinator
        )
    return year.pk


OBJECT_KWARGS = {"year_pk": _year}

ALLOWED = {
    "finance:list": _VIEWERS,
    "finance:year": _VIEWERS,
    "finance:open": _COORDINATOR,
    "finance:scheme": _COORDINATOR,
    "finance:contributions": _COORDINATOR,
}
