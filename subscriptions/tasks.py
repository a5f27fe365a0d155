"""Subscriptions' background work: unspent credits lapse when their academic year ends; places offered
from an event's waiting list and not taken in time go to the next school waiting."""

from celery import shared_task
from django.utils import timezone

from config.celery import TenantTask
from partnerships.calendar import academic_year_of
from partnerships.models import Partnership
from subscriptions.models import Subscription
from subscriptions.services.places import offers_expire
from subscriptions.services.plans import credits_lapse


@shared_task(base=TenantTask, bind=True)
def lapse_unspent_credits(self, *, partnership_id: int) -> int:
    today = timezone.localdate()
    ended = Subscription.objects.filter(
        partnership_id=partnership_id, year__lt=academic_year_of(today), plan__carry_over=False
    ).select_related("plan", "school")
    return sum(1 for subscription in ended if credits_lapse(subscription=subscription, today=today))


@shared_task
def lapse_unspent_credits_everywhere() -> int:
    """For celery beat, daily: one run per partnership that sells subscriptions. Idempotent."""
    ids = list(Partnership.objects.filter(offers_subscriptions=True).values_list("pk", flat=True))
    for partnership_id in ids:
        lapse_unspent_credits.delay(partnership_id=partnership_id)
    return len(ids)


@shared_task(base=TenantTask, bind=True)
def expire_event_offers(self, *, partnership_id: int) -> int:
    return offers_expire(partnership=Partnership.objects.get(pk=partnership_id))


@shared_task
def expire_event_offers_everywhere() -> int:
    """For celery beat, hourly: one run per partnership that sells subscriptions. Idempotent."""
    ids = list(Partnership.objects.filter(offers_subscriptions=True).values_list("pk", flat=True))
    for partnership_id in ids:
        expire_event_offers.delay(partnership_id=partnership_id)
    return len(ids)
