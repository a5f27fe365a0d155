"""Demo money for the seed partnerships; registered with load_demo by FinanceConfig.ready().

Each partnership that handles money has this financial year open with its budget and its scheme,
opened and set through the services as its coordinator would:

- Heart of Manchester: £2 per FTE pupil at the January census, held by Rolls Crescent, which keeps
  an administration share. The agreement says "a portion" and names no figure: 5% is what the
  strategic group agreed for the demo year.
- the terms-of-reference partnership (Kingston North) agrees costs activity by activity.

Loading twice changes nothing.
"""

from decimal import Decimal

from django.utils import timezone

from finance.models import ContributionScheme, FinancialYear
from finance.services.years import contribution_scheme_set, financial_year_open
from partnerships.calendar import financial_year_of
from partnerships.models import RoleAssignment
from partnerships.roles import Role

Basis = ContributionScheme.Basis

YEARS = {
    "heart-of-manchester": {
        "budget": {
            "administration": Decimal("450.00"),
            "development_areas": Decimal("2400.00"),
            "events": Decimal("900.00"),
            "staffing": Decimal("0.00"),
            "other": Decimal("300.00"),
        },
        "scheme": {"basis": Basis.PER_FTE, "rate": Decimal("2.00"), "admin_share_percent": Decimal("5")},
    },
    "kingston-north": {
        "budget": {"development_areas": Decimal("1200.00"), "events": Decimal("600.00")},
        "scheme": {"basis": Basis.PER_ACTIVITY},
    },
}


def load(partnership, spec: dict, admin) -> None:
    demo = YEARS.get(spec["slug"])
    if demo is None or FinancialYear.objects.filter(partnership=partnership).exists():
        return
    coordinator = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR).active().order_by("pk").first()
    )
    if coordinator is None:
        return
    year = financial_year_open(
        actor=coordinator.user,
        partnership=partnership,
        start_year=financial_year_of(timezone.localdate()),
        budget=demo["budget"],
    )
    contribution_scheme_set(actor=coordinator.user, year=year, **demo["scheme"])
