"""Reminding people to declare their interests (missing, or more than a year old).

Idempotent per person per day: each reminder is an InterestReminder row (partnership, user, day), unique
in the database, and a person with a row for today is skipped. The row and the email's outbox message
are written in one transaction, so a reminder is either recorded and queued or neither; the outbox
sends it, and keeps trying while SMTP is down. An audit row records the reminder as history; the
audit log is never read to decide.
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from config.celery import TenantTask
from core.outbox import outbox_enqueue
from partnerships.models import InterestReminder, Partnership
from partnerships.selectors.interests import STATE_LABELS, reminders_due


@shared_task(base=TenantTask, bind=True)
def remind_missing_declarations(self, *, partnership_id: int) -> int:
    """Email everyone in the partnership whose declaration is missing or out of date; returns how many."""
    partnership = Partnership.objects.get(pk=partnership_id)
    today = timezone.localdate()
    url = settings.SITE_URL + reverse("interests:declare", kwargs={"partnership_slug": partnership.slug})
    sent = 0
    for row in reminders_due(partnership, today):
        with transaction.atomic():
            # Two runs at once: the second insert waits on the unique constraint, then finds the row.
            _, created = InterestReminder.objects.get_or_create(partnership=partnership, user=row.user, day=today)
            if not created:
                continue
            audit_record(
                subject=row.user,
                actor=None,
                partnership=partnership,
                action=AuditAction.INTERESTS_REMINDED,
                summary=f"{row.user} reminded to declare interests ({STATE_LABELS[row.state].lower()})",
                data={"user": row.user.pk, "day": today.isoformat()},
            )
            outbox_enqueue(
                about=f"interests-reminder:{partnership.pk}:{today.isoformat()}",
                kind="interests.reminder",
                recipient=row.user.email,
                template="partnerships/email/interests_reminder",
                context={"user": row.user, "partnership": partnership, "row": row, "url": url},
                subject=f"Please declare your interests for {partnership.name}",
            )
        sent += 1
    return sent


@shared_task
def remind_missing_declarations_everywhere() -> int:
    """For celery beat: queue one reminder run per active partnership (each runs in its own scope)."""
    ids = list(Partnership.objects.filter(status=Partnership.Status.ACTIVE).values_list("pk", flat=True))
    for partnership_id in ids:
        remind_missing_declarations.delay(partnership_id=partnership_id)
    return len(ids)
