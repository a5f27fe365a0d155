from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self) -> None:
        from partnerships.demo import register_loader
        from subscriptions import demo

        register_loader("subscriptions", demo.load)
        register_loader("subscriptions_pep", demo.load_pep)
