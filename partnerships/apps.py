from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self):
        from core import panels
        from partnerships.panels import PANELS

        for panel in PANELS:
            panels.register(panel)
