from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from finance import demo
        from partnerships.demo import register_loader

        register_loader("finance", demo.load)
