"""Reports' panels (core/panels.py), registered by ReportsConfig.ready(): on the dashboard, for a
school's governors and headteacher, a link to the school's latest released governors' report."""

from reports.selectors import latest_released


def latest_governors_report(request, **kwargs) -> dict | None:
    reports = latest_released(request.tenant)
    return {"reports": reports} if reports else None
