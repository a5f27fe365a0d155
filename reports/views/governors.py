"""Governors' reports: a school's reports for its governors and headteacher, one report's page and PDF
(both rendered from the report's stored data), the headteacher's release, and the coordinator's term
page where reports are generated with their progress. Who reads what is `report_may_read`, only there:
a report the reader may not read does not exist (404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from meetings.pack import render_pdf
from partnerships.calendar import TERM_NAMES, academic_year_of
from partnerships.selectors.terms import term_label, terms_for_years
from reports.forms import GenerateForm, ReleaseForm, ReportSettingsForm, TermSummaryForm
from reports.models import GovernorsReport, ReportRun, TermSummary
from reports.selectors.annual import annual_years
from reports.selectors.governors import (
    chair_signing,
    readable_school_ids,
    report_may_read,
    report_settings_of,
    reports_index,
    reports_index_table,
    runs_of_term,
    term_charts,
    term_from_json,
    term_of,
    term_reports,
)
from reports.services.governors import (
    governors_report_release,
    report_run_start,
    report_settings_save,
    term_summary_save,
)
from reports.views import pdf_download

MANAGE = "manage_reports"


def _may_see_index(tenant) -> bool:
    """The reports page is the coordinator's and that of anyone who reads a school's reports."""
    return tenant.has(MANAGE) or bool(readable_school_ids(tenant))


class IndexView(TenantViewMixin, TemplateView):
    """The reports of each school the reader governs (or heads), every term; for the coordinator, the
    terms whose reports they generate."""

    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        tenant = self.request.tenant
        manages = tenant.has(MANAGE)
        if not _may_see_index(tenant):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        context["schools"] = reports_index(tenant)
        context["any_reports"] = any(reports for _, reports in context["schools"])
        context["signing"] = chair_signing(tenant)
        context["manages"] = manages
        context["annual"] = annual_years(self.partnership, with_recent=manages)
        if manages:
            today = timezone.localdate()
            year = academic_year_of(today)
            terms = [t for t in terms_for_years(self.partnership, year - 1, year) if t.starts <= today]
            context["terms"] = [(t, term_label(t)) for t in reversed(terms)]
            context["settings"] = report_settings_of(self.partnership)
        return context


class IndexExportView(TableExportView):
    """The governors' reports the reports page lists, as CSV or XLSX, to those who see that page: only
    the reports of the schools the reader governs or heads that they may read there."""

    def export_table(self, **kwargs):
        if not _may_see_index(self.request.tenant):
            raise PermissionDenied
        return reports_index_table(reports_index(self.request.tenant))

    def export_filename(self):
        return f"{self.partnership.slug}-governors-reports"


class TermMixin:
    """A coordinator's page about one term: the academic year and term name are in the URL."""

    permission_required = MANAGE

    def lookup(self, **kwargs):
        if kwargs["term"] not in TERM_NAMES or not 2000 <= kwargs["academic_year"] <= 2100:
            raise Http404
        found = term_of(self.partnership, kwargs["academic_year"], kwargs["term"])
        if found is None:
            raise Http404
        self.term = found
        return found


class TermView(TermMixin, TenantViewMixin, TemplateView):
    template_name = "reports/term.html"

    def get(self, request, *args, **kwargs):
        self.lookup(**kwargs)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        term = self.term
        return super().get_context_data(**kwargs) | {
            "term": term,
            "label": term_label(term),
            "run": runs_of_term(self.partnership, term.academic_year, term.name),
            "reports": term_reports(self.partnership, term.academic_year, term.name),
            "summary": TermSummary.objects.filter(
                partnership=self.partnership, academic_year=term.academic_year, term=term.name
            ).first(),
            "form": GenerateForm(),
        }


class GenerateView(TermMixin, ServiceFormView):
    """Start the term's reports (or join the run in progress), then back to the term's page."""

    form_class = GenerateForm
    template_name = "reports/generate.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"term": self.term, "label": term_label(self.term)}

    def perform(self, form):
        return report_run_start(
            actor=self.request.user,
            partnership=self.partnership,
            academic_year=self.term.academic_year,
            term=self.term.name,
        )

    def get_success_message(self, run):
        return f"Generating the reports for the {term_label(self.term)}"

    def get_success_url(self, run):
        return self.tenant_url("reports:term", academic_year=self.term.academic_year, term=self.term.name)


class RunView(TenantViewMixin, TemplateView):
    """A run's progress: the fragment the term page polls (htmx, every 2 seconds while it runs)."""

    permission_required = MANAGE
    template_name = "reports/_run.html"

    def lookup(self, **kwargs):
        return get_object_or_404(ReportRun, pk=row_id(kwargs["report_run_pk"]))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"run": self.lookup(**kwargs)}


class ReportMixin:
    def lookup(self, **kwargs):
        report = get_object_or_404(
            GovernorsReport.objects.select_related("school", "released_by"), pk=row_id(kwargs["governors_report_pk"])
        )
        if not report_may_read(self.request.tenant, report):
            raise Http404
        return report

    def report_context(self, report: GovernorsReport) -> dict:
        term = term_from_json(report.data)
        return {"report": report, "term": term, "charts": term_charts(term)}


class ReportView(ReportMixin, TenantViewMixin, TemplateView):
    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        report = self.lookup(**kwargs)
        perms = self.request.tenant.school_perms(report.school_id)
        return (
            super().get_context_data(**kwargs)
            | self.report_context(report)
            | {"may_release": "release_governors_report" in perms and not report.released}
        )


class ReportPdfView(ReportMixin, TenantViewMixin, View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        report = self.lookup(**kwargs)
        pdf = render_pdf("reports/pdf/report.html", {"partnership": self.partnership} | self.report_context(report))
        name = f"governors-report-{report.school.urn}-{report.academic_year}-{report.term}-v{report.version}.pdf"
        return pdf_download(pdf, name)


class ReleaseView(ReportMixin, ServiceFormView):
    """The headteacher's comment, and the report released to the school's governors."""

    form_class = ReleaseForm
    template_name = "reports/release.html"
    context_object_name = "report"
    success_message = "The report is released to governors"

    def lookup(self, **kwargs):
        report = super().lookup(**kwargs)
        if "release_governors_report" not in self.request.tenant.school_perms(report.school_id):
            raise PermissionDenied
        return report

    def perform(self, form):
        return governors_report_release(
            actor=self.request.user, report=self.object, comment=form.cleaned_data["comment"]
        )

    def get_success_url(self, report):
        return self.tenant_url("reports:report", governors_report_pk=report.pk)


class SettingsView(ServiceFormView):
    permission_required = MANAGE
    form_class = ReportSettingsForm
    template_name = "reports/settings.html"
    success_message = "Saved how reports reach governors"

    def get_initial(self):
        return {"delivery": report_settings_of(self.partnership).delivery}

    def perform(self, form):
        return report_settings_save(
            actor=self.request.user, partnership=self.partnership, delivery=form.cleaned_data["delivery"]
        )

    def get_success_url(self, result):
        return self.tenant_url("reports:index")


class SummaryView(TermMixin, ServiceFormView):
    form_class = TermSummaryForm
    template_name = "reports/summary.html"
    success_message = "Saved the partnership's priorities and impact"

    def get_initial(self):
        found = TermSummary.objects.filter(
            partnership=self.partnership, academic_year=self.term.academic_year, term=self.term.name
        ).first()
        return {"priorities": found.priorities, "impact": found.impact} if found else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"term": self.term, "label": term_label(self.term)}

    def perform(self, form):
        return term_summary_save(
            actor=self.request.user,
            partnership=self.partnership,
            academic_year=self.term.academic_year,
            term=self.term.name,
            **form.cleaned_data,
        )

    def get_success_url(self, result):
        return self.tenant_url("reports:term", academic_year=self.term.academic_year, term=self.term.name)
