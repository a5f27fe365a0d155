"""Requests for contribution and their payments: confirming the year's requests from the preview,
each request with its payments, recording and reversing a payment, the overdue list."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.views import ServiceFormView, TenantViewMixin
from finance.forms import ConfirmRequestsForm, PaymentForm, RequestAddForm, ReverseForm
from finance.models import ContributionRequest, FinancialYear, Payment
from finance.selectors import (
    contribution_amounts,
    members_during,
    overdue_requests,
    requests_with_balances,
    scheme_of,
)
from finance.services.contributions import (
    contribution_request_add,
    contribution_requests_confirm,
    payment_record,
    payment_reverse,
)
from finance.views.access import FinanceAccessMixin

ZERO = Decimal("0.00")


def _year_or_404(year_pk) -> FinancialYear:
    return get_object_or_404(FinancialYear.objects.select_related("partnership", "scheme"), pk=year_pk)


def _request_or_404(request_pk) -> ContributionRequest:
    return get_object_or_404(requests_with_balances(), pk=request_pk)


class ContributionsView(FinanceAccessMixin, ServiceFormView):
    """Each member school's contribution worked out from the figures in force, with the working, and
    the button that makes the year's requests. A GET writes nothing. Once the requests are made the
    page lists them with what each school has paid."""

    permission_required = "view_finance"
    records_money = True
    template_name = "finance/contributions.html"
    form_class = ConfirmRequestsForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.object
        scheme = scheme_of(year)
        requests = list(requests_with_balances(year=year, activity__isnull=True))
        context = super().get_context_data(**kwargs) | {"scheme": scheme, "requests": requests}
        if requests:
            context["unasked"] = unasked_schools(year)
            context["totals"] = {
                "amount": sum((r.amount for r in requests), start=ZERO),
                "paid": sum((r.paid for r in requests), start=ZERO),
                "outstanding": sum((r.outstanding for r in requests), start=ZERO),
            }
        elif scheme is not None and scheme.basis == scheme.Basis.PER_ACTIVITY:
            context["per_activity"] = True
        elif scheme is not None:
            try:
                context["contributions"] = contribution_amounts(scheme)
            except ValidationError as error:
                context["problems"] = error.messages
        return context

    def perform(self, form):
        return contribution_requests_confirm(actor=self.request.user, year=self.object)

    def get_success_message(self, requests):
        return f"{len(requests)} requests for contribution made for {self.object.label}"

    def get_success_url(self, requests):
        return self.tenant_url("finance:contributions", year_pk=self.object.pk)


def unasked_schools(year: FinancialYear) -> list:
    """Members during the year who have no request for its contribution yet (they joined after the
    requests were made)."""
    asked = set(
        ContributionRequest.objects.filter(year=year, activity__isnull=True).values_list("school_id", flat=True)
    )
    members = sorted((school for school, _ in members_during(year).values()), key=lambda school: school.name)
    return [school for school in members if school.pk not in asked]


class RequestAddView(FinanceAccessMixin, ServiceFormView):
    """Ask a school that joined after the year's requests were made for its contribution."""

    permission_required = "view_finance"
    records_money = True
    template_name = "finance/request_add.html"
    form_class = RequestAddForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"schools": unasked_schools(self.object)}

    def perform(self, form):
        return contribution_request_add(actor=self.request.user, year=self.object, school=form.cleaned_data["school"])

    def get_success_message(self, request):
        return f"{request.school.name} asked for £{request.amount:,.2f}"

    def get_success_url(self, request):
        return self.tenant_url("finance:request", request_pk=request.pk)


class RequestDetailView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    """One request with its payments, for those who record the partnership's money."""

    permission_required = "view_finance"
    records_money = True
    template_name = "finance/request.html"

    def lookup(self, **kwargs):
        return _request_or_404(kwargs["request_pk"])

    def get_context_data(self, **kwargs):
        request = self.lookup(**kwargs)
        payments = list(
            Payment.objects.filter(request=request)
            .select_related("recorded_by", "reverses")
            .order_by("received_on", "pk")
        )
        reversed_ids = {payment.reverses_id for payment in payments if payment.reverses_id}
        return super().get_context_data(**kwargs) | {
            "contribution_request": request,
            "payments": payments,
            "reversed_ids": reversed_ids,
            "money_methods": Payment.MONEY_METHODS,
        }


class PaymentRecordView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/payment.html"
    form_class = PaymentForm
    context_object_name = "contribution_request"
    asks_to_confirm = False

    def lookup(self, **kwargs):
        return _request_or_404(kwargs["request_pk"])

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def perform(self, form):
        return payment_record(actor=self.request.user, request=self.object, **form.cleaned_data)

    def add_service_errors(self, form, error):
        if hasattr(error, "error_dict") and any(e.code == "overpayment" for e in error.error_dict.get("amount", [])):
            self.asks_to_confirm = True
        super().add_service_errors(form, error)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"asks_to_confirm": self.asks_to_confirm}

    def get_success_message(self, payment):
        return f"£{payment.amount:,.2f} from {self.object.school.name} recorded"

    def get_success_url(self, payment):
        return self.tenant_url("finance:request", request_pk=self.object.pk)


class PaymentReverseView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/payment_reverse.html"
    form_class = ReverseForm
    context_object_name = "payment"

    def lookup(self, **kwargs):
        return get_object_or_404(
            Payment.objects.select_related("request__school", "request__year"), pk=kwargs["payment_pk"]
        )

    def perform(self, form):
        return payment_reverse(actor=self.request.user, payment=self.object, **form.cleaned_data)

    def get_success_message(self, reversal):
        return f"£{self.object.amount:,.2f} from {self.object.request.school.name} reversed"

    def get_success_url(self, reversal):
        return self.tenant_url("finance:request", request_pk=self.object.request_id)


class OverdueView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    """Requests past their due date with something still owed, across every year."""

    permission_required = "view_finance"
    records_money = True
    template_name = "finance/overdue.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = list(overdue_requests(self.partnership, today))
        total = rows and sum(row.outstanding for row in rows)
        return super().get_context_data(**kwargs) | {"rows": rows, "total": total or ZERO, "today": today}
