"""Demo money for the seed partnerships; registered with load_demo by FinanceConfig.ready().

Heart of Manchester has this financial year open with its budget and its agreement's £2 per FTE
pupil at the January census, opened through the service as its coordinator would. Loading twice
changes nothing.
"""

from decimal import Decimal

from django.utils import timezone

from finance.models import FinancialYear
from finance.services.years import financial_year_open
from partnerships.calendar import financial_year_of
from partnerships.models import RoleAssignment
from partnerships.roles import Role

BUDGETS = {
    "heart-of-manchester": {
        "administration": Decimal("450.00"),
        "development_areas": Decimal("2400.00"),
        "events": Decimal("900.00"),
        "staffing": Decimal("0.00"),
        "other": Decimal("300.00"),
    },
}


def load(partnership, spec: dict, admin) -> None:
    budget = BUDGETS.get(spec["slug"])
    if budget is None or FinancialYear.objects.filter(partnership=partnership).exists():
        return
    coordinator = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR).active().order_by("pk").first()
    )
    if coordinator is None:
        return
    # The year's scheme starts as the agreement's basis and rate: £2.00 per FTE pupil.
    financial_year_open(
        actor=coordinator.user,
        partnership=partnership,
        start_year=financial_year_of(timezone.localdate()),
        budget=budget,
    )
