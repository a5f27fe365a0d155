from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from meetings import demo
        from partnerships.demo import register_loader

        register_loader("meetings", demo.load)
