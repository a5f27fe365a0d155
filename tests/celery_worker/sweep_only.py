"""The project's Celery app with only the outbox sweep in its beat schedule: the resilience tests run
`celery -A tests.celery_worker.sweep_only beat`, so that beat does nothing else to the test database."""

from config.celery import app

app.conf.beat_schedule = {name: entry for name, entry in app.conf.beat_schedule.items() if name == "sweep-outbox"}

__all__ = ["app"]
