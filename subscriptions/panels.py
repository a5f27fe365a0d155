"""Subscriptions' panels on the dashboard's "Needs you now" list (core/panels.py), registered by
SubscriptionsConfig.ready(): a school's credits left this year, for those who act for it; an adviser's
notes of visit to write and reviews to revise or submit; a headteacher's reviews to confirm. At a glance,
credits used and left this year: a school's for those who act for it, each plan's for the coordinator."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.charts import comparison_bars, count
from core.panels import Panel
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.selectors.permissions import acting_school_ids
from subscriptions.selectors import adviser_work, credit_use, credit_use_by_plan, credits_left


def credits_needs(request, **kwargs) -> dict | None:
    school_ids = acting_school_ids(request.tenant)
    if not school_ids:
        return None
    subscriptions = credits_left(request.partnership, school_ids, academic_year_of(timezone.localdate()))
    return {"subscriptions": subscriptions} if subscriptions else None


def advice_needs(request, **kwargs) -> dict | None:
    work = adviser_work(request.tenant, timezone.localdate())
    if not (work.notes_to_write or work.reviews_to_finish or work.reviews_to_confirm):
        return None
    return {"work": work}


@dataclass(frozen=True)
class CreditRow:
    name: str
    used: Decimal
    left: Decimal
    schools: int = 1


def credits_chart(request, **kwargs) -> dict | None:
    """Credits used and left this academic year: for whoever manages subscriptions, each plan's schools
    together (the partnership's whole picture, legible for 200 schools); for those who act for a school,
    their school's. One query."""
    year = academic_year_of(timezone.localdate())
    if request.tenant.has("manage_subscriptions"):
        rows = [CreditRow(p.name, p.used, p.left, p.schools) for p in credit_use_by_plan(request.partnership, year)]
        whole = True
    else:
        school_ids = acting_school_ids(request.tenant)
        if not school_ids:
            return None
        rows = [CreditRow(s.school.name, s.used, s.balance) for s in credit_use(request.partnership, year, school_ids)]
        whole = False
    if not rows:
        return None
    used = sum((row.used for row in rows), Decimal(0))
    left = sum((row.left for row in rows), Decimal(0))
    label = academic_year_label(year)
    who = "Subscribing schools have" if whole else ("Your school has" if len(rows) == 1 else "Your schools have")
    summary = (
        f"{who} used {count(used)} credit{'' if used == 1 else 's'} in {label}; "
        f"{count(left)} {'is' if left == 1 else 'are'} left."
    )
    chart = comparison_bars(
        title=f"Credits used and left, {label}",
        description=summary,
        rows=[(_row_name(row, whole), row.used, row.left) for row in rows],
        labels=("Used", "Left"),
        money=False,
    )
    return {
        "credits_rows": [(_row_name(row, whole), row) for row in rows],
        "credits_summary": summary,
        "credits_chart": chart,
        "credits_label": label,
        "credits_whole": whole,
    }


def _row_name(row: CreditRow, whole: bool) -> str:
    return f"{row.name} ({row.schools} school{'' if row.schools == 1 else 's'})" if whole else row.name


PANELS = [
    Panel(
        slot="dashboard_needs",
        name="credits",
        template="subscriptions/panels/credits.html",
        context=credits_needs,
        order=50,
    ),
    Panel(
        slot="dashboard_needs",
        name="advice",
        template="subscriptions/panels/advice.html",
        context=advice_needs,
        order=60,
    ),
]

PANELS.append(
    Panel(
        slot="dashboard_charts",
        name="credits_chart",
        template="subscriptions/panels/credits_chart.html",
        context=credits_chart,
        order=30,
    )
)
