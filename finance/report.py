"""The termly finance report for the strategy group: income against budget, spending against budget
per line, the bank balance and the contributions outstanding, as at a day (the end of a term, or
today). One set of figures (`finance_report`) feeds the page, the PDF with its charts and the XLSX
workbook, so the three always agree.

Actual figures are the ledger's entries to the day: a correction counts against what it corrects, so a
reversed payment or expense drops out of its line. The administration share kept by the banker school
is spending on administration; grants allocated to schools are a line of their own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from core.charts import bars, comparison_bars
from core.exports import Column, Kind, Table
from finance.models import BudgetLine, ContributionRequest, FinancialYear, IncomeLine, LedgerEntry, Payment
from partnerships.models import Term

ZERO = Decimal("0.00")
Entry = LedgerEntry.Kind
Category = BudgetLine.Category
Source = IncomeLine.Source

# Which income source each kind of money in belongs to.
INCOME_SOURCE = {
    Entry.CONTRIBUTION: Source.CONTRIBUTIONS,
    Entry.GRANT_INCOME: Source.GRANTS,
    Entry.EVENT_INCOME: Source.EVENTS,
    Entry.INTEREST: Source.INTEREST,
    Entry.OTHER_INCOME: Source.OTHER,
}
GRANTS_ALLOCATED = "grants_allocated"


@dataclass(frozen=True)
class Line:
    name: str
    planned: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual - self.planned


@dataclass(frozen=True)
class Outstanding:
    school: str
    reference: str
    asked: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.asked - self.paid


@dataclass(frozen=True)
class FinanceReport:
    year: FinancialYear
    as_at: datetime.date
    label: str  # "Autumn term 2026" or "To 1 December 2026"
    income: list[Line]
    spending: list[Line]
    opening_balance: Decimal  # brought forward from earlier years
    balance: Decimal
    outstanding: list[Outstanding]  # every school's: the page shows it only to those who may see them

    @property
    def income_total(self) -> Line:
        return _total(self.income)

    @property
    def spending_total(self) -> Line:
        return _total(self.spending)

    @property
    def outstanding_total(self) -> Decimal:
        return sum((row.outstanding for row in self.outstanding), ZERO)


def _total(lines: list[Line]) -> Line:
    return Line("Total", sum((line.planned for line in lines), ZERO), sum((line.actual for line in lines), ZERO))


def report_days(year: FinancialYear, today: datetime.date) -> list[tuple[datetime.date, str]]:
    """The days a report may be drawn up to: the end of each term that ends within the year and by
    today, then today (or the year's last day, once it is over)."""
    terms = Term.objects.filter(partnership_id=year.partnership_id, ends__gte=year.starts, ends__lte=year.ends)
    days = [
        (term.ends, f"{term.get_name_display()} term {term.ends.year}")
        for term in terms.order_by("ends")
        if term.ends <= today
    ]
    last = min(today, year.ends)
    if not days or days[-1][0] != last:
        days.append((last, "The whole year" if last == year.ends else f"To {last:%-d %B %Y}"))
    return days


def finance_report(year: FinancialYear, as_at: datetime.date, label: str = "") -> FinanceReport:
    """The year's figures to `as_at` (inclusive). A fixed number of queries, whatever the entries."""
    entries = LedgerEntry.objects.filter(year=year, posted_on__lte=as_at)
    # A correction counts as the kind and line of the entry it corrects.
    kind = Coalesce("reverses__kind", "kind")
    category = Coalesce("reverses__budget_line__category", "budget_line__category")
    sums = entries.values(entry_kind=kind, line=category).annotate(total=Sum("amount"))
    income_actual: dict[str, Decimal] = {}
    spending_actual: dict[str, Decimal] = {}
    for row in sums:
        if row["entry_kind"] in INCOME_SOURCE:
            source = INCOME_SOURCE[row["entry_kind"]]
            income_actual[source] = income_actual.get(source, ZERO) + row["total"]
        else:
            line = row["line"] or (
                Category.ADMINISTRATION
                if row["entry_kind"] == Entry.ADMIN_SHARE
                else GRANTS_ALLOCATED
                if row["entry_kind"] == Entry.GRANT_ALLOCATED
                else Category.OTHER
            )
            spending_actual[line] = spending_actual.get(line, ZERO) - row["total"]  # money out is negative
    planned_income = dict(
        IncomeLine.objects.filter(year=year)
        .values("source")
        .annotate(total=Sum("planned"))
        .values_list("source", "total")
    )
    planned_spending = dict(
        BudgetLine.objects.filter(year=year)
        .values("category")
        .annotate(total=Sum("planned"))
        .values_list("category", "total")
    )
    income = [
        Line(name, planned_income.get(source, ZERO), income_actual.get(source, ZERO))
        for source, name in Source.choices
        if source in planned_income or source in income_actual
    ]
    spending = [
        Line(name, planned_spending.get(category, ZERO), spending_actual.get(category, ZERO))
        for category, name in Category.choices
        if category in planned_spending or category in spending_actual
    ]
    if GRANTS_ALLOCATED in spending_actual:
        spending.append(Line("Grants allocated to schools", ZERO, spending_actual[GRANTS_ALLOCATED]))
    earlier = LedgerEntry.objects.filter(partnership_id=year.partnership_id, year__starts__lt=year.starts)
    opening = earlier.aggregate(total=Sum("amount"))["total"] or ZERO
    balance = opening + (entries.aggregate(total=Sum("amount"))["total"] or ZERO)
    paid = Coalesce(
        Sum("payments__amount", filter=Q(payments__received_on__lte=as_at)),
        ZERO,
        output_field=Payment._meta.get_field("amount"),
    )
    requests = (
        ContributionRequest.objects.filter(year=year, dated__lte=as_at)
        .select_related("school")
        .annotate(paid_by=paid)
        .order_by("school__name", "number")
    )
    outstanding = [
        Outstanding(request.school.name, request.reference, request.amount, request.paid_by)
        for request in requests
        if request.amount - request.paid_by > 0
    ]
    return FinanceReport(
        year=year,
        as_at=as_at,
        label=label or f"To {as_at:%-d %B %Y}",
        income=income,
        spending=spending,
        opening_balance=opening,
        balance=balance,
        outstanding=outstanding,
    )


def report_charts(report: FinanceReport, *, per_school: bool) -> dict[str, str]:
    """The report's charts as SVG: they read without colour (hatched against solid, every value written)."""
    charts = {
        "income": comparison_bars(
            title=f"Income against budget, {report.year.label}",
            description=f"Income expected and received to {report.as_at:%-d %B %Y}.",
            rows=[(line.name, line.planned, line.actual) for line in report.income],
            labels=("Expected", "Received"),
        ),
        "spending": comparison_bars(
            title=f"Spending against budget, {report.year.label}",
            description=f"Budget and spending for each line to {report.as_at:%-d %B %Y}.",
            rows=[(line.name, line.planned, line.actual) for line in report.spending],
            labels=("Budget", "Spent"),
        ),
    }
    if per_school and report.outstanding:
        charts["outstanding"] = bars(
            title="Contributions outstanding",
            description=f"What each school still owes on {report.as_at:%-d %B %Y}.",
            rows=[(row.school, row.outstanding) for row in report.outstanding],
            label="Outstanding",
        )
    return charts


def _row(line: Line) -> tuple:
    return (line.name, line.planned, line.actual, line.difference)


def report_tables(report: FinanceReport, *, per_school: bool) -> list[Table]:
    """The report as tables for the workbook: the same figures the page shows, as numbers."""
    lines = [
        Column("Line"),
        Column("Budget", Kind.MONEY),
        Column("Actual", Kind.MONEY),
        Column("Difference", Kind.MONEY),
    ]
    tables = [
        Table(
            "Summary",
            [Column("Figure"), Column("Amount", Kind.MONEY)],
            [
                ("Balance brought forward", report.opening_balance),
                ("Income received", report.income_total.actual),
                ("Spending", report.spending_total.actual),
                (f"Bank balance on {report.as_at:%-d %B %Y}", report.balance),
                ("Contributions outstanding", report.outstanding_total),
            ],
        ),
        Table(
            "Income",
            lines,
            [_row(line) for line in [*report.income, report.income_total]],
        ),
        Table(
            "Spending",
            lines,
            [_row(line) for line in [*report.spending, report.spending_total]],
        ),
    ]
    if per_school:
        tables.append(
            Table(
                "Outstanding",
                [
                    Column("School"),
                    Column("Request"),
                    Column("Asked for", Kind.MONEY),
                    Column("Paid", Kind.MONEY),
                    Column("Outstanding", Kind.MONEY),
                ],
                [(r.school, r.reference, r.asked, r.paid, r.outstanding) for r in report.outstanding],
            )
        )
    return tables


def report_context(report: FinanceReport, *, per_school: bool) -> dict:
    """What the page and the PDF show: the report, its charts, and its two budget sections in order."""
    charts = report_charts(report, per_school=per_school)
    return {
        "report": report,
        "per_school": per_school,
        "charts": charts,
        "sections": [
            ("Income against budget", report.income, report.income_total, "Expected", "Received", charts["income"]),
            ("Spending against budget", report.spending, report.spending_total, "Budget", "Spent", charts["spending"]),
        ],
    }
