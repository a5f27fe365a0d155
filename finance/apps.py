from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from core import panels
        from finance import demo
        from finance.panels import PANELS
        from partnerships.demo import register_loader

        register_loader("finance", demo.load)
        register_loader("finance_spending", demo.load_spending)
        for panel in PANELS:
            panels.register(panel)
