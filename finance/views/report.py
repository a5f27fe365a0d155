"""The termly finance report as a page, a PDF and a workbook, and the money lists' downloads."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.exports import Column, Kind, Table, csv_bytes, download_response, xlsx_bytes
from core.views import TenantViewMixin
from finance.models import FinancialYear, SharedCost
from finance.report import finance_report, report_context, report_days, report_tables
from finance.selectors import (
    grants_of,
    ledger_rows,
    overdue_requests,
    requests_with_balances,
    school_balances,
    shared_costs,
    spending_by_line,
)
from finance.views.access import FinanceAccessMixin
from meetings.pack import render_pdf

FORMATS = ("csv", "xlsx")


def _year_or_404(year_pk) -> FinancialYear:
    return get_object_or_404(FinancialYear.objects.select_related("partnership"), pk=year_pk)


class ReportMixin(FinanceAccessMixin, TenantViewMixin):
    """The report for the day the `on` parameter names (one of the year's term ends or today);
    anything else is the latest. Each school's outstanding amount only for those who see them all."""

    permission_required = "view_finance"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def report(self, year_pk):
        year = _year_or_404(year_pk)
        days = report_days(year, timezone.localdate())
        wanted = self.request.GET.get("on", "")
        chosen = next(((day, label) for day, label in days if day.isoformat() == wanted), days[-1])
        report = finance_report(year, chosen[0], chosen[1])
        return year, days, report, self.access.sees_every_school


class ReportView(ReportMixin, TemplateView):
    template_name = "finance/report.html"

    def get_context_data(self, **kwargs):
        year, days, report, per_school = self.report(kwargs["year_pk"])
        return (
            super().get_context_data(**kwargs)
            | {"year": year, "days": days}
            | report_context(report, per_school=per_school)
        )


class ReportPdfView(ReportMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        year, _, report, per_school = self.report(kwargs["year_pk"])
        pdf = render_pdf(
            "finance/pdf/report.html",
            {"partnership": self.partnership, "year": year} | report_context(report, per_school=per_school),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="finance-report-{report.as_at.isoformat()}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class ReportExportView(ReportMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        year, _, report, per_school = self.report(kwargs["year_pk"])
        tables = report_tables(report, per_school=per_school)
        title = f"{self.partnership.name}: finance report {year.label}, {report.label}"
        name = f"finance-report-{report.as_at.isoformat()}"
        return download_response(xlsx_bytes(*tables, title=title), filename=name, kind="xlsx")


class ListExportView(FinanceAccessMixin, TenantViewMixin, View):
    """A money list as CSV or XLSX (`fmt`), for those who record the partnership's money: a subclass
    says what the list is (`table`) and what the file is called (`filename`)."""

    permission_required = "view_finance"
    records_money = True
    http_method_names = ["get", "head", "options"]

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"]) if "year_pk" in kwargs else None

    def table(self, year: FinancialYear | None) -> Table:
        raise NotImplementedError

    def filename(self, year: FinancialYear | None) -> str:
        raise NotImplementedError

    def get(self, request, *args, fmt, **kwargs):
        if fmt not in FORMATS:
            raise Http404
        year = self.lookup(**kwargs)
        table = self.table(year)
        content = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table, title=table.title)
        return download_response(content, filename=self.filename(year), kind=fmt)


class ContributionsExportView(ListExportView):
    """The year's requests with what each school has paid, as the contributions page lists them."""

    def filename(self, year):
        return f"contributions-{year.label}"

    def table(self, year):
        return Table(
            f"Contributions {year.label}",
            [
                Column("Request"),
                Column("School"),
                Column("URN", Kind.REFERENCE),
                Column("Dated", Kind.DATE),
                Column("Due", Kind.DATE),
                Column("Asked for", Kind.MONEY),
                Column("Paid", Kind.MONEY),
                Column("Outstanding", Kind.MONEY),
            ],
            [
                (r.reference, r.school.name, r.school.urn, r.dated, r.due, r.amount, r.paid, r.outstanding)
                for r in requests_with_balances(year=year, activity__isnull=True)
            ],
        )


class LedgerExportView(ListExportView):
    def filename(self, year):
        return f"ledger-{year.label}"

    def table(self, year):
        return Table(
            f"Ledger {year.label}",
            [
                Column("Date", Kind.DATE),
                Column("Kind"),
                Column("Description"),
                Column("School"),
                Column("Budget line"),
                Column("Amount", Kind.MONEY),
                Column("Balance", Kind.MONEY),
            ],
            [
                (
                    entry.posted_on,
                    entry.get_kind_display(),
                    entry.description,
                    entry.school.name if entry.school else None,
                    entry.budget_line.get_category_display() if entry.budget_line else None,
                    entry.amount,
                    running,
                )
                for entry, running in ledger_rows(self.partnership, year)
            ],
        )


class OverdueExportView(ListExportView):
    def filename(self, year):
        return f"overdue-{timezone.localdate().isoformat()}"

    def table(self, year):
        today = timezone.localdate()
        return Table(
            f"Overdue on {today:%-d %B %Y}",
            [
                Column("School"),
                Column("Request"),
                Column("Year"),
                Column("Due", Kind.DATE),
                Column("Days overdue", Kind.INTEGER),
                Column("Asked for", Kind.MONEY),
                Column("Outstanding", Kind.MONEY),
            ],
            [
                (r.school.name, r.reference, r.year.label, r.due, (today - r.due).days, r.amount, r.outstanding)
                for r in overdue_requests(self.partnership, today)
            ],
        )


class SpendingExportView(ListExportView):
    """The year's spending, line by line, as the spending page lists it (corrected expenses marked)."""

    records_money = False

    def filename(self, year):
        return f"spending-{year.label}"

    def table(self, year):
        return Table(
            f"Spending {year.label}",
            [
                Column("Date", Kind.DATE),
                Column("Budget line"),
                Column("Supplier"),
                Column("Description"),
                Column("Development area"),
                Column("Amount", Kind.MONEY),
                Column("Corrected in the ledger"),
            ],
            [
                (
                    expense.spent_on,
                    row.line.get_category_display(),
                    expense.supplier,
                    expense.description,
                    expense.development_area.name if expense.development_area else None,
                    expense.amount,
                    "Yes" if expense.corrected else None,
                )
                for row in spending_by_line(year)
                for expense in row.expenses
            ],
        )


class GrantsExportView(ListExportView):
    """The year's grants and their allocations; a school's allocation only for those who may see its
    amounts (the page's rule), the rest as one line per grant."""

    records_money = False

    def filename(self, year):
        return f"grants-{year.label}"

    def table(self, year):
        rows = []
        for grant in grants_of(year):
            rows.append((grant.name, grant.funder, grant.received_on, "Received", None, grant.amount))
            hidden = Decimal("0.00")
            for allocation in grant.allocations.all():
                if allocation.corrected:
                    continue
                if self.access.sees_school(allocation.school_id):
                    rows.append(
                        (
                            grant.name,
                            grant.funder,
                            allocation.allocated_on,
                            "Allocated",
                            allocation.school.name,
                            -allocation.amount,
                        )
                    )
                else:
                    hidden += allocation.amount
            if hidden:
                rows.append((grant.name, grant.funder, None, "Allocated to other schools", None, -hidden))
        return Table(
            f"Grants {year.label}",
            [
                Column("Grant"),
                Column("Funder"),
                Column("Date", Kind.DATE),
                Column("What"),
                Column("School"),
                Column("Amount", Kind.MONEY),
            ],
            rows,
        )


class StatementsExportView(ListExportView):
    """The schools' balances as the statements page lists them: every school for those who record
    money, the viewer's own school otherwise."""

    permission_required = "view_partnership"
    records_money = False

    def filename(self, year):
        return f"balances-{timezone.localdate().isoformat()}"

    def table(self, year):
        if not (self.access.sees_every_school or self.access.own_school_ids):
            raise PermissionDenied
        return Table(
            "Schools' balances",
            [
                Column("School"),
                Column("URN", Kind.REFERENCE),
                Column("Asked for", Kind.MONEY),
                Column("Paid", Kind.MONEY),
                Column("Outstanding", Kind.MONEY),
            ],
            [
                (row.school.name, row.school.urn, row.asked, row.paid, row.outstanding)
                for row in school_balances(self.partnership)
                if self.access.sees_school(row.school.pk)
            ],
        )


class SharedCostsExportView(ListExportView):
    """The year's shared costs as the shared costs page lists them."""

    def filename(self, year):
        return f"shared-costs-{year.label}"

    def table(self, year):
        return Table(
            f"Shared costs {year.label}",
            [
                Column("Cost"),
                Column("Shared"),
                Column("Schools", Kind.INTEGER),
                Column("Total", Kind.MONEY),
                Column("Schools asked on", Kind.DATE),
            ],
            [
                (
                    cost.title,
                    cost.get_basis_display(),
                    len(cost.schools.all()),
                    cost.total,
                    timezone.localtime(cost.confirmed_at).date() if cost.confirmed_at else None,
                )
                for cost in shared_costs(year)
            ],
        )


class SharedCostExportView(ListExportView):
    """A shared cost's requests with what each school has paid, as its page lists them."""

    def lookup(self, **kwargs):
        return get_object_or_404(SharedCost.objects.select_related("year"), pk=kwargs["cost_pk"])

    def filename(self, cost):
        return f"shared-cost-{cost.pk}"

    def table(self, cost):
        return Table(
            cost.title[:80],
            [
                Column("Request"),
                Column("School"),
                Column("Share", Kind.MONEY),
                Column("Paid", Kind.MONEY),
                Column("Outstanding", Kind.MONEY),
            ],
            [
                (r.reference, r.school.name, r.amount, r.paid, r.outstanding)
                for r in requests_with_balances(activity=cost)
            ],
        )
