from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Commonroom core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from core import freshness

        # Every write on every connection changes the version that kept page parts are keyed on.
        connection_created.connect(freshness.install, dispatch_uid="core.freshness.install")
