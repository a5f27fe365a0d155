"""Spending against the year's budget lines, with receipts and declared interests, and the grants the
partnership receives and allocates to its schools."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.files import private_download
from core.views import ServiceFormView, TenantViewMixin
from finance.forms import ExpenseForm, GrantAllocationForm, GrantForm
from finance.models import Expense, FinancialYear, Grant
from finance.selectors import (
    grant_allocated,
    grant_candidates,
    grant_eligibility,
    grant_facts,
    grants_of,
    spending_by_line,
    supplier_interests,
)
from finance.services.spending import expense_record, grant_allocate, grant_record
from finance.views.access import FinanceAccessMixin


def _year_or_404(year_pk) -> FinancialYear:
    return get_object_or_404(FinancialYear.objects.select_related("partnership"), pk=year_pk)


class SpendingView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    permission_required = "view_finance"
    template_name = "finance/spending.html"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.lookup(**kwargs)
        lines = spending_by_line(year)
        expenses = [expense for row in lines for expense in row.expenses]
        interests = supplier_interests(self.partnership, expenses)
        for expense in expenses:
            expense.declared_interests = interests.get(expense.pk, [])
        return super().get_context_data(**kwargs) | {
            "year": year,
            "lines": lines,
            "planned_total": sum((row.line.planned for row in lines), Decimal("0.00")),
            "spent_total": sum((row.spent for row in lines), Decimal("0.00")),
        }


class ExpenseRecordView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/expense_record.html"
    form_class = ExpenseForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership, "year": self.object}

    def get_initial(self):
        return {"spent_on": timezone.localdate()}

    def perform(self, form):
        return expense_record(actor=self.request.user, year=self.object, **form.cleaned_data)

    def get_success_message(self, expense):
        return f"£{expense.amount:,.2f} spent with {expense.supplier} recorded"

    def get_success_url(self, expense):
        return self.tenant_url("finance:spending", year_pk=self.object.pk)


class ReceiptView(FinanceAccessMixin, TenantViewMixin, View):
    """An expense's receipt, as an attachment with the type read from its content (never rendered in
    our origin), to those who see the partnership's spending; 404 for anything else."""

    permission_required = "view_finance"
    http_method_names = ["get", "head", "options"]

    def lookup(self, expense_pk, **kwargs):
        expense = get_object_or_404(Expense.objects.all(), pk=expense_pk)
        if not expense.receipt:
            raise Http404("No receipt")
        return expense

    def get(self, request, *args, **kwargs):
        expense = self.lookup(**kwargs)
        return private_download(expense.receipt.name, filename=expense.receipt_name, content_type=expense.receipt_type)


class GrantsView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    permission_required = "view_finance"
    template_name = "finance/grants.html"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.lookup(**kwargs)
        grants = grants_of(year)
        # A school's allocation is as private as its contribution: shown to those who see that school's
        # amounts (finance.selectors.FinanceAccess); the rest is a total.
        for grant in grants:
            grant.shown = [a for a in grant.allocations.all() if self.access.sees_school(a.school_id)]
            # What the others were given, corrections left out, as a total.
            grant.unshown = grant.allocated - sum((a.amount for a in grant.shown if not a.corrected), Decimal("0.00"))
        return super().get_context_data(**kwargs) | {
            "year": year,
            "grants": grants,
            "received_total": sum((grant.amount for grant in grants), Decimal("0.00")),
            "allocated_total": sum((grant.allocated for grant in grants), Decimal("0.00")),
        }


class GrantRecordView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/grant_record.html"
    form_class = GrantForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return _year_or_404(kwargs["year_pk"])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership}

    def get_initial(self):
        return {"received_on": timezone.localdate(), "restricted_to_members": True}

    def perform(self, form):
        return grant_record(actor=self.request.user, year=self.object, **form.cleaned_data)

    def get_success_message(self, grant):
        return f"{grant.name} from {grant.funder} recorded: £{grant.amount:,.2f}"

    def get_success_url(self, grant):
        return self.tenant_url("finance:grants", year_pk=self.object.pk)


class GrantAllocateView(FinanceAccessMixin, ServiceFormView):
    """The form offers the schools `grant_eligibility` allows today, and lists the others with why."""

    permission_required = "view_finance"
    records_money = True
    template_name = "finance/grant_allocate.html"
    form_class = GrantAllocationForm
    context_object_name = "grant"

    def lookup(self, **kwargs):
        grant = get_object_or_404(Grant.objects.select_related("year", "development_area"), pk=kwargs["grant_pk"])
        today = timezone.localdate()
        facts = grant_facts(grant)
        self.eligible, self.refused = [], []
        for school in grant_candidates(grant):
            reason = grant_eligibility(grant, school, today, facts=facts)
            if reason is None:
                self.eligible.append(school)
            else:
                self.refused.append((school, reason))
        return grant

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership, "eligible": self.eligible}

    def get_initial(self):
        return {"allocated_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        allocated = grant_allocated(self.object)
        return super().get_context_data(**kwargs) | {
            "year": self.object.year,
            "refused": self.refused,
            "allocated": allocated,
            "remaining": self.object.amount - allocated,
        }

    def perform(self, form):
        return grant_allocate(actor=self.request.user, grant=self.object, **form.cleaned_data)

    def get_success_message(self, allocation):
        return f"£{allocation.amount:,.2f} of {self.object.name} allocated to {allocation.school.name}"

    def get_success_url(self, allocation):
        return self.tenant_url("finance:grants", year_pk=self.object.year_id)
