"""The annual partnership report: one academic year's report as a page and a PDF (both rendered from
the stored version's data), and the coordinator's page that generates a new version. Who reads it is
`annual_report_may_read`, only there; a year that is no year, or has not begun, does not exist (404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from core.views import ServiceFormView, TenantViewMixin
from meetings.pack import render_pdf
from partnerships.calendar import academic_year_label
from reports.forms import AnnualReportForm
from reports.models import AnnualReport
from reports.selectors.annual import (
    annual_report_may_read,
    annual_report_of,
    annual_reports,
    reportable_year,
    year_charts,
    year_from_json,
)
from reports.services.annual import annual_report_generate
from reports.views import pdf_download

MANAGE = "manage_reports"


class YearMixin:
    """A page about one academic year of the partnership: the year (its first calendar year) is in the URL."""

    def lookup(self, **kwargs) -> int:
        year = kwargs["academic_year"]
        if not reportable_year(year):
            raise Http404
        self.academic_year = year
        return year


class ReportMixin(YearMixin):
    def report(self, **kwargs) -> AnnualReport | None:
        """The version asked for (?version=N, 404 if there is none), or the year's latest (None if none)."""
        if not annual_report_may_read(self.request.tenant):
            raise PermissionDenied
        year = self.lookup(**kwargs)
        asked = self.request.GET.get("version")
        if asked is None:
            return annual_report_of(self.partnership, year)
        if not asked.isdigit() or len(asked) > 6:
            raise Http404
        found = annual_report_of(self.partnership, year, int(asked))
        if found is None:
            raise Http404
        return found

    def report_context(self, report: AnnualReport) -> dict:
        year = year_from_json(report.data)
        return {"report": report, "year": year, "charts": year_charts(year)}


class AnnualReportView(ReportMixin, TenantViewMixin, TemplateView):
    template_name = "reports/annual.html"

    def get_context_data(self, **kwargs):
        report = self.report(**kwargs)
        context = super().get_context_data(**kwargs) | {
            "academic_year": self.academic_year,
            "label": academic_year_label(self.academic_year),
            "manages": self.request.tenant.has(MANAGE),
            "versions": [r for r in annual_reports(self.partnership) if r.academic_year == self.academic_year],
        }
        if report is not None:
            context |= self.report_context(report)
        return context


class AnnualReportPdfView(ReportMixin, TenantViewMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        report = self.report(**kwargs)
        if report is None:
            raise Http404
        pdf = render_pdf("reports/pdf/annual.html", {"partnership": self.partnership} | self.report_context(report))
        return pdf_download(pdf, f"annual-report-{self.partnership.slug}-{report.academic_year}-v{report.version}.pdf")


class AnnualGenerateView(YearMixin, ServiceFormView):
    """Generate the year's report again as things stand today, with the coordinator's words."""

    permission_required = MANAGE
    form_class = AnnualReportForm
    template_name = "reports/annual_generate.html"

    def get_initial(self):
        latest = annual_report_of(self.partnership, self.academic_year)
        return {"progress": year_from_json(latest.data).progress} if latest else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "academic_year": self.academic_year,
            "label": academic_year_label(self.academic_year),
        }

    def perform(self, form):
        return annual_report_generate(
            actor=self.request.user,
            partnership=self.partnership,
            academic_year=self.academic_year,
            progress=form.cleaned_data["progress"],
        )

    def get_success_message(self, report):
        return f"Generated version {report.version} of the annual report for {report.year_label}"

    def get_success_url(self, report):
        return self.tenant_url("reports:annual", academic_year=report.academic_year)
