from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self) -> None:
        from core import panels
        from partnerships.demo import register_loader
        from subscriptions import demo
        from subscriptions.panels import PANELS

        for panel in PANELS:
            panels.register(panel)

        register_loader("subscriptions", demo.load)
        register_loader("subscriptions_pep", demo.load_pep)
