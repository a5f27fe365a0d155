"""Reminders of overdue contributions, found by a daily beat sweep over the database (never by long
countdown tasks, which a Redis broker redelivers after its visibility timeout). The rules, and why
nothing is sent twice, are in finance.services.reminders."""

from celery import shared_task

from config.celery import TenantTask
from finance.services.reminders import contribution_reminders_send
from partnerships.models import Partnership


@shared_task(base=TenantTask, bind=True)
def send_contribution_reminders(self, *, partnership_id: int) -> int:
    """Queue the reminders due today in one partnership; returns how many requests were reminded."""
    partnership = Partnership.objects.get(pk=partnership_id)
    return contribution_reminders_send(actor=None, partnership=partnership)


@shared_task
def send_contribution_reminders_everywhere() -> int:
    """For celery beat: one reminder run per active partnership, each in its own scope."""
    ids = list(Partnership.objects.filter(status=Partnership.Status.ACTIVE).values_list("pk", flat=True))
    for partnership_id in ids:
        send_contribution_reminders.delay(partnership_id=partnership_id)
    return len(ids)
