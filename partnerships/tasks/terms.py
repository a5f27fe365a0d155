"""Keeping every partnership ready for the next academic year: its constitution and next year's terms
exist before anyone needs them, so no termly rule breaks in September and no page writes."""

from celery import shared_task

from config.celery import TenantTask
from partnerships.models import Partnership
from partnerships.services.partnerships import partnership_prepare


@shared_task(base=TenantTask, bind=True)
def prepare_partnership(self, *, partnership_id: int) -> None:
    partnership_prepare(partnership=Partnership.objects.get(pk=partnership_id))


@shared_task
def prepare_partnerships_everywhere() -> int:
    """For celery beat, daily: queue one run per partnership that is not closed. Idempotent."""
    ids = list(Partnership.objects.exclude(status=Partnership.Status.CLOSED).values_list("pk", flat=True))
    for partnership_id in ids:
        prepare_partnership.delay(partnership_id=partnership_id)
    return len(ids)
