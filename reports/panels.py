"""Reports' panels (core/panels.py), registered by ReportsConfig.ready(): on the dashboard, for a
school's governors and headteacher, a link to the school's latest released governors' report, and for
the headteacher the reports waiting for their comment and release; in the coordinator's "Needs you now",
the last ended term's governors' reports and last year's annual report while not generated."""

from django.utils import timezone

from core.panels import Panel
from partnerships.calendar import academic_year_label
from partnerships.selectors.terms import term_label
from reports.selectors.annual import annual_not_generated
from reports.selectors.governors import awaiting_release, latest_released, term_not_generated


def latest_governors_report(request, **kwargs) -> dict | None:
    reports = latest_released(request.tenant)
    awaiting = awaiting_release(request.tenant)
    return {"reports": reports, "awaiting": awaiting} if reports or awaiting else None


def reports_needs(request, **kwargs) -> dict | None:
    if not request.tenant.has("manage_reports"):
        return None
    today = timezone.localdate()
    term = term_not_generated(request.partnership, today)
    year = annual_not_generated(request.partnership, today)
    if term is None and year is None:
        return None
    return {
        "term": term,
        "term_label": term_label(term) if term else "",
        "annual_year": year,
        "annual_label": academic_year_label(year) if year else "",
    }


PANELS = [
    Panel(
        slot="dashboard",
        name="governors_report",
        template="reports/panels/latest.html",
        context=latest_governors_report,
        order=15,
    ),
    Panel(
        slot="dashboard_needs",
        name="reports_due",
        template="reports/panels/needs.html",
        context=reports_needs,
        order=60,
    ),
]
