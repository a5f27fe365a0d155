"""The banker school's ledger: every entry with the running balance, recording income, corrections."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.views import ServiceFormView, TenantViewMixin
from finance.forms import LedgerEntryForm, ReverseForm
from finance.models import FinancialYear, LedgerEntry
from finance.selectors import ledger_rows
from finance.services.ledger import ledger_entry_record, ledger_entry_reverse
from finance.views.access import FinanceAccessMixin


class LedgerView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/ledger.html"

    def lookup(self, **kwargs):
        return get_object_or_404(FinancialYear.objects.select_related("partnership"), pk=kwargs["year_pk"])

    def get_context_data(self, **kwargs):
        year = self.lookup(**kwargs)
        rows = ledger_rows(self.partnership, year)
        corrected = {entry.reverses_id for entry, _ in rows if entry.reverses_id}
        return super().get_context_data(**kwargs) | {
            "year": year,
            "rows": rows,
            "corrected": corrected,
            "balance": rows[-1][1] if rows else None,
        }


class LedgerEntryRecordView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/ledger_record.html"
    form_class = LedgerEntryForm
    context_object_name = "year"

    def lookup(self, **kwargs):
        return get_object_or_404(FinancialYear.objects.select_related("partnership"), pk=kwargs["year_pk"])

    def get_initial(self):
        return {"posted_on": timezone.localdate()}

    def perform(self, form):
        return ledger_entry_record(actor=self.request.user, year=self.object, **form.cleaned_data)

    def get_success_message(self, entry):
        return f"£{entry.amount:,.2f} recorded: {entry.description}"

    def get_success_url(self, entry):
        return self.tenant_url("finance:ledger", year_pk=self.object.pk)


class LedgerEntryReverseView(FinanceAccessMixin, ServiceFormView):
    permission_required = "view_finance"
    records_money = True
    template_name = "finance/entry_reverse.html"
    form_class = ReverseForm
    context_object_name = "entry"

    def lookup(self, **kwargs):
        return get_object_or_404(LedgerEntry.objects.select_related("year"), pk=kwargs["entry_pk"])

    def perform(self, form):
        return ledger_entry_reverse(actor=self.request.user, entry=self.object, **form.cleaned_data)

    def get_success_message(self, correction):
        return f"“{self.object.description}” corrected"

    def get_success_url(self, correction):
        return self.tenant_url("finance:ledger", year_pk=self.object.year_id)
