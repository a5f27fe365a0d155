"""Finance's panels (core/panels.py), registered by FinanceConfig.ready():

- on the constitution page's Money section, how schools contribute this financial year and what the
  banker school keeps for administration: both are the year's contribution scheme, not the
  constitution's, since they change year by year.
"""

from django.utils import timezone

from core.panels import Panel
from finance.selectors import admin_share_text, scheme_basis_text, scheme_of, year_in_force


def constitution_money(request, **kwargs) -> dict | None:
    year = year_in_force(request.partnership, timezone.localdate())
    scheme = scheme_of(year) if year is not None else None
    return {
        "finance_year": year,
        "money_rows": [
            (
                f"Contributions {year.label}" if year else "Contributions",
                scheme_basis_text(scheme) if year is not None else "No financial year is open for today",
            ),
            ("Banker school's administration share", admin_share_text(scheme)),
        ],
        "can_view_finance": request.tenant.has("view_finance"),
    }


PANELS = [
    Panel(
        slot="constitution_money",
        name="contributions",
        template="finance/panels/constitution_money.html",
        context=constitution_money,
    ),
]
