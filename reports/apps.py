from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Governors' termly reports, the annual report, role dashboards, exports and the read API. It reads
    every other app's selectors and writes nothing of theirs; nothing depends on it."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from core import panels
        from partnerships.demo import register_loader
        from reports import demo
        from reports.panels import PANELS

        for panel in PANELS:
            panels.register(panel)
        register_loader("reports", demo.load)
