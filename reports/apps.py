from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Governors' termly reports, the annual report, role dashboards, exports and the read API. It reads
    every other app's selectors and writes nothing of theirs; nothing depends on it."""

    name = "reports"
    verbose_name = "Reports"
