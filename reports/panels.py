"""Reports' panels (core/panels.py), registered by ReportsConfig.ready(): on the dashboard, for a
school's governors and headteacher, a link to the school's latest released governors' report, and for
the headteacher the reports waiting for their comment and release."""

from reports.selectors.governors import awaiting_release, latest_released


def latest_governors_report(request, **kwargs) -> dict | None:
    reports = latest_released(request.tenant)
    awaiting = awaiting_release(request.tenant)
    return {"reports": reports, "awaiting": awaiting} if reports or awaiting else None
