"""Finance's panels (core/panels.py), registered by FinanceConfig.ready():

- on the constitution page's Money section, how schools contribute this financial year and what the
  banker school keeps for administration: both are the year's contribution scheme, not the
  constitution's, since they change year by year;
- on the dashboard's warnings, for those who record the partnership's money, how many contributions
  are overdue and what is outstanding on them;
- on a member school's page, a link to its statement of contributions for those who may see it (its
  own people, governors included, who have no finance pages of their own to find it from);
- at a glance, for those who record the money, this financial year's budget against spending.
"""

from decimal import Decimal

from django.utils import timezone

from core.charts import comparison_bars, pounds
from core.panels import Panel
from finance.selectors import (
    admin_share_text,
    finance_access,
    overdue_summary,
    scheme_basis_text,
    scheme_of,
    schools_owing,
    spending_of_year_in_force,
    year_in_force,
)
from partnerships.selectors.constitution import request_constitution


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


def overdue_contributions(request, **kwargs) -> dict | None:
    tenant = request.tenant
    if not tenant.has("view_finance"):
        return None
    # The coordinator records money whatever the constitution says (FinanceAccess's first rule): the
    # constitution is read only for someone who may be the banker school's finance officer.
    if not tenant.has("manage_finance") and not finance_access(tenant, request_constitution(request)).may_record:
        return None
    summary = overdue_summary(request.partnership, timezone.localdate())
    return {"overdue": summary} if summary.count else None


def school_statement_link(request, school=None, constitution=None, **kwargs) -> dict | None:
    """No query: the roles are the request's and the school page has read the constitution."""
    if school is None or constitution is None:
        return None
    if not finance_access(request.tenant, constitution).sees_school(school.pk):
        return None
    return {"school": school}


def school_contributions_needs(request, **kwargs) -> dict | None:
    """For those who act for a school: what their school still owes, with a link to its statement."""
    tenant = request.tenant
    school_ids = {
        r.school_id for r in tenant.roles if r.school_id and tenant.has_for_school("act_for_school", r.school_id)
    }
    if not school_ids:
        return None
    owing = schools_owing(request.partnership, school_ids, timezone.localdate())
    return {"owing": owing} if owing else None


ZERO = Decimal("0.00")


def budget_chart(request, **kwargs) -> dict | None:
    """For those who record the partnership's money: this financial year's budget lines against what has
    been spent on each. One query (two for a finance officer, whose access the constitution decides)."""
    tenant = request.tenant
    if not tenant.has("view_finance"):
        return None
    if not tenant.has("manage_finance") and not finance_access(tenant, request_constitution(request)).may_record:
        return None
    lines = spending_of_year_in_force(request.partnership, timezone.localdate())
    if not lines:
        return None
    year = lines[0].line.year
    planned = sum((row.line.planned for row in lines), ZERO)
    spent = sum((row.spent for row in lines), ZERO)
    summary = f"Spent {pounds(spent)} of the {pounds(planned)} budgeted for {year.label}."
    chart = comparison_bars(
        title=f"Spending against budget, {year.label}",
        description=summary,
        rows=[(row.name, row.line.planned, row.spent) for row in lines],
        labels=("Budget", "Spent"),
    )
    return {"budget_year": year, "budget_lines": lines, "budget_summary": summary, "budget_chart": chart}


PANELS = [
    Panel(
        slot="dashboard_needs",
        name="school_contributions",
        template="finance/panels/school_contributions.html",
        context=school_contributions_needs,
        order=20,
    ),
    Panel(
        slot="constitution_money",
        name="contributions",
        template="finance/panels/constitution_money.html",
        context=constitution_money,
    ),
    Panel(
        slot="dashboard_warnings",
        name="overdue_contributions",
        template="finance/panels/overdue_contributions.html",
        context=overdue_contributions,
    ),
    Panel(
        slot="school",
        name="statement",
        template="finance/panels/school_statement.html",
        context=school_statement_link,
    ),
]

PANELS.append(
    Panel(
        slot="dashboard_charts",
        name="budget",
        template="finance/panels/budget_chart.html",
        context=budget_chart,
        order=20,
    )
)
