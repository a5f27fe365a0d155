"""The school-facing side of contributions: each school's statement (page and PDF), a request for
contribution as a PDF, and the partnership's finance summary.

A school's statement and its requests are its private records, like its budget: to anyone who may not
see them (FinanceAccess.sees_school) they do not exist (404), as the school pages answer. They rest on
`view_partnership` so that governors, who do not see the finance pages, see their own school's."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from core.views import TenantViewMixin, row_id
from finance.models import Payment
from finance.selectors import (
    ledger_balance,
    requests_with_balances,
    school_balances,
    school_statement,
    statement_schools,
    summary_years,
)
from finance.views.access import FinanceAccessMixin
from meetings.pack import render_pdf

# The largest id a database integer column holds: a larger one in a URL names nothing.


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class _SchoolStatementMixin(FinanceAccessMixin, TenantViewMixin):
    permission_required = "view_partnership"

    def lookup(self, school_pk, **kwargs):
        school = get_object_or_404(statement_schools(self.partnership), pk=row_id(school_pk))
        if not self.access.sees_school(school.pk):
            raise Http404("This school's records are not shared with you")
        return school

    def statement_context(self, **kwargs) -> dict:
        school = self.lookup(**kwargs)
        return {
            "school": school,
            "statement": school_statement(self.partnership, school),
            "banker": self.constitution.banker_school,
        }


class StatementListView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    """The schools whose statements the viewer may see, with each one's balance over every year."""

    permission_required = "view_partnership"
    template_name = "finance/statements.html"

    def get_context_data(self, **kwargs):
        if not (self.access.sees_every_school or self.access.own_school_ids):
            raise PermissionDenied
        rows = [row for row in school_balances(self.partnership) if self.access.sees_school(row.school.pk)]
        return super().get_context_data(**kwargs) | {"rows": rows}


class StatementView(_SchoolStatementMixin, TemplateView):
    template_name = "finance/statement.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.statement_context(**kwargs)


class StatementPdfView(_SchoolStatementMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        context = self.statement_context(**kwargs) | {"partnership": self.partnership}
        pdf = render_pdf("finance/pdf/statement.html", context)
        return _pdf_response(pdf, f"statement-{slugify(context['school'].name)}")


class RequestPdfView(FinanceAccessMixin, TenantViewMixin, View):
    """A request for contribution as a tagged PDF, for those who record and the school's own people."""

    permission_required = "view_partnership"
    http_method_names = ["get", "head", "options"]

    def lookup(self, request_pk, **kwargs):
        contribution_request = get_object_or_404(requests_with_balances(), pk=row_id(request_pk))
        if not (self.access.may_record or self.access.sees_school(contribution_request.school_id)):
            raise Http404("This school's records are not shared with you")
        return contribution_request

    def get(self, request, *args, **kwargs):
        contribution_request = self.lookup(**kwargs)
        credits = Payment.objects.filter(request=contribution_request, method=Payment.Method.CREDIT_BROUGHT)
        context = {
            "partnership": self.partnership,
            "r": contribution_request,
            "school": contribution_request.school,
            "banker": self.constitution.banker_school,
            "credit_brought": sum((payment.amount for payment in credits), start=Decimal("0.00")),
        }
        pdf = render_pdf("finance/pdf/request.html", context)
        return _pdf_response(
            pdf, f"request-{contribution_request.reference}-{slugify(contribution_request.school.name)}"
        )


class SummaryView(FinanceAccessMixin, TenantViewMixin, TemplateView):
    """The partnership's money in totals only: each year asked, paid, outstanding and spent, and the
    bank balance. The local authority's observer sees it where the constitution shares it."""

    permission_required = "view_partnership"
    template_name = "finance/summary.html"

    def get_context_data(self, **kwargs):
        if not self.access.sees_summary:
            raise PermissionDenied
        return super().get_context_data(**kwargs) | {
            "years": summary_years(self.partnership),
            "balance": ledger_balance(self.partnership),
        }
