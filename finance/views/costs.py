"""Costs shared activity by activity: the year's list, setting one out, and confirming it once its
shares have been checked."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.views import ServiceFormView, TenantViewMixin
from finance.forms import ConfirmRequestsForm, SharedCostForm
from finance.models import FinancialYear, SharedCost
from finance.selectors import members_during, requests_with_balances, shared_cost_amounts, shared_costs
from finance.services.contributions import shared_cost_confirm, shared_cost_create
from finance.views.access import FinanceAccessMixin


def _year_or_404(year_pk) -> FinancialYear:
    return get_object_or_404(FinancialYear.objects.select_related("partnership"), pk=year_pk)


class SharedCostListView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/costs.html"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.lookup(**kwargs)
        return super().get_context_data(**kwargs) | {"year": year, "costs": shared_costs(year)}


class SharedCostCreateView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/cost_new.html"
    form_class = SharedCostForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_form_kwargs(self):
        schools = [school for school, _ in members_during(self.object).values()]
        return super().get_form_kwargs() | {"schools": schools}

    def perform(self, form):
        data = form.cleaned_data
        return shared_cost_create(
            actor=self.request.user,
            year=self.object,
            title=data["title"],
            total=data["total"],
            basis=data["basis"],
            schools=list(data["schools"]),
        )

    def get_success_message(self, cost):
        return "Check each school's share, then confirm"

    def get_success_url(self, cost):
        return self.tenant_url("finance:cost", cost_pk=cost.pk)


class SharedCostView(FinanceAccessMixin, ServiceFormView):
    """A shared cost with each school's share worked out (a GET writes nothing) and, until it is
    confirmed, the button that asks the schools for their shares; then its requests and payments."""

    permission_required = "view_finance"
    records_money = True
    template_name = "finance/cost.html"
    form_class = ConfirmRequestsForm
    context_object_name = "cost"

    def lookup(self, **kwargs):
        return get_object_or_404(SharedCost.objects.select_related("year", "created_by"), pk=kwargs["cost_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.confirmed_at:
            context["requests"] = list(requests_with_balances(activity=self.object))
        else:
            try:
                context["rows"] = shared_cost_amounts(self.object)
            except ValidationError as error:
                context["problems"] = error.messages
        return context

    def perform(self, form):
        return shared_cost_confirm(actor=self.request.user, cost=self.object)

    def get_success_message(self, requests):
        return f"{len(requests)} schools asked for their shares of {self.object.title}"

    def get_success_url(self, requests):
        return self.tenant_url("finance:cost", cost_pk=self.object.pk)
