from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from core import panels
        from meetings import demo
        from meetings.panels import PANELS
        from partnerships.demo import register_loader

        register_loader("meetings", demo.load)
        for panel in PANELS:
            panels.register(panel)
