from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin
from finance.forms import BudgetForm, CloseYearForm, SchemeForm, YearOpenForm
from finance.models import ContributionScheme, FinancialYear
from finance.selectors import (
    admin_share_text,
    requests_with_balances,
    statement_schools,
    year_totals,
    years_of,
    years_table,
)
from finance.services.years import budget_set, contribution_scheme_set, financial_year_close, financial_year_open
from finance.views.access import FinanceAccessMixin
from partnerships.calendar import financial_year_of

# What a school leaving during the year pays, by the constitution's rule from the membership work: it is
# asked for the whole year (contribution_amounts); a refund, where the agreement gives one, is spending.
LEAVER_TEXT = {
    False: "Pays for the whole year, with no refund",
    True: "Pays for the whole year; the agreement refunds a leaving school's contribution, recorded as spending",
    None: "Pays for the whole year; the agreement does not say whether a leaving school's contribution is refunded",
}


def _year_or_404(year_pk) -> FinancialYear:
    return get_object_or_404(FinancialYear.objects.select_related("partnership", "opened_by"), pk=year_pk)


def _scheme_of(year: FinancialYear) -> ContributionScheme | None:
    return ContributionScheme.objects.filter(year=year).select_related("set_by").first()


class YearListView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    permission_required = "view_finance"
    template_name = "finance/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"years": years_of(self.partnership)}


class YearListExportView(TableExportView):
    """The financial years as the finance page lists them, as CSV or XLSX, under the page's permission."""

    permission_required = "view_finance"

    def export_table(self, **kwargs):
        return years_table(years_of(self.partnership))

    def export_filename(self):
        return f"{self.partnership.slug}-financial-years"


class YearOpenView(ServiceFormView):
    permission_required = "manage_finance"
    template_name = "finance/open.html"
    form_class = YearOpenForm

    def get_initial(self):
        return {"start_year": financial_year_of(timezone.localdate()), "start_month": 4}

    def perform(self, form):
        return financial_year_open(actor=self.request.user, partnership=self.partnership, **form.service_data())

    def add_service_errors(self, form, error):
        # A budget category's error belongs to its field, named budget_<category> on the form.
        if hasattr(error, "error_dict"):
            renamed = {
                f"budget_{key}" if f"budget_{key}" in form.fields else key: value
                for key, value in error.error_dict.items()
            }
            error = ValidationError(renamed)
        super().add_service_errors(form, error)

    def get_success_message(self, year):
        return f"Financial year {year.label} opened"

    def get_success_url(self, year):
        return self.tenant_url("finance:year", year_pk=year.pk)


class YearDetailView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    permission_required = "view_finance"
    template_name = "finance/year.html"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.lookup(**kwargs)
        lines = list(year.budget_lines.all())
        income_lines = list(year.income_lines.all())
        scheme = _scheme_of(year)
        requests = list(requests_with_balances(year=year))
        # Each school's amount only to those who see every school's; everyone else the totals and
        # their own school's statement.
        return super().get_context_data(**kwargs) | {
            "totals": year_totals(year, requests),
            "school_requests": requests if self.access.sees_every_school else [],
            "own_schools": list(statement_schools(self.partnership).filter(pk__in=self.access.own_school_ids)),
            "year": year,
            "lines": lines,
            "budget_total": sum((line.planned for line in lines), start=Decimal("0.00")),
            "income_lines": income_lines,
            "income_total": sum((line.planned for line in income_lines), start=Decimal("0.00")),
            "scheme": scheme,
            "admin_text": admin_share_text(scheme),
            "leaver_text": LEAVER_TEXT[self.constitution.leaver_contribution_refunded],
        }


class SchemeSetView(ServiceFormView):
    permission_required = "manage_finance"
    template_name = "finance/scheme.html"
    form_class = SchemeForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_initial(self):
        scheme = _scheme_of(self.object)
        if scheme is None:
            return {}
        return {
            field: getattr(scheme, field)
            for field in ("basis", "rate", "total", "joiner", "admin_share_percent", "admin_fixed_amount")
        }

    def perform(self, form):
        return contribution_scheme_set(actor=self.request.user, year=self.object, **form.cleaned_data)

    def get_success_message(self, scheme):
        return f"Contributions for {self.object.label} set"

    def get_success_url(self, scheme):
        return self.tenant_url("finance:year", year_pk=self.object.pk)


class BudgetSetView(ServiceFormView):
    """The year's planned spending per budget category and expected income per source, on one form."""

    permission_required = "manage_finance"
    template_name = "finance/budget.html"
    form_class = BudgetForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_initial(self):
        # A category's amount is its line's (opening a year makes one line a category).
        initial = {}
        for line in self.object.budget_lines.order_by("-pk"):
            initial[f"budget_{line.category}"] = line.planned
        for line in self.object.income_lines.all():
            initial[f"income_{line.source}"] = line.planned
        return initial

    def perform(self, form):
        return budget_set(actor=self.request.user, year=self.object, **form.service_data())

    def get_success_message(self, year):
        return f"Budget for {year.label} saved"

    def get_success_url(self, year):
        return self.tenant_url("finance:year", year_pk=year.pk)


class YearCloseView(ServiceFormView):
    """Closing a year after its last day, from a page that warns what closing stops."""

    permission_required = "manage_finance"
    template_name = "finance/close.html"
    form_class = CloseYearForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.object
        owed = list(requests_with_balances(year=year, outstanding__gt=0))
        return super().get_context_data(**kwargs) | {
            "ended": timezone.localdate() > year.ends,
            "owed": owed,
            "owed_total": sum((row.outstanding for row in owed), start=Decimal("0.00")),
        }

    def perform(self, form):
        return financial_year_close(actor=self.request.user, year=self.object)

    def get_success_message(self, year):
        return f"Financial year {year.label} closed"

    def get_success_url(self, year):
        return self.tenant_url("finance:year", year_pk=year.pk)
