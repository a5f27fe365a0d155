"""The email outbox: every email Commonroom sends goes through here.

    outbox_enqueue(about="meeting:12", kind="meeting.notice", version=3, recipient=..., template=
                   "meetings/email/notice", context={...})

writes one OutboxMessage in the caller's transaction (so a rolled-back change sends nothing) and,
once that transaction commits, asks a task to send it. The task claims the row ("in flight", committed
before SMTP is spoken to), sends it with its own Message-ID and records the outcome. A beat task
sweeps rows left queued (broker or worker down) or stuck in flight (a worker died mid-send), so
nothing is lost; no long countdowns, which the Redis broker would deliver twice.

Every message has a plain-text and an HTML part, rendered from `<template>.txt` and `<template>.html`
(which extend templates/email/base.*), under the product's name.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A send that has not finished in this long was cut off (a worker killed mid-send): try it again.
STUCK_AFTER = datetime.timedelta(minutes=10)
# Queued rows younger than this are left to the task that enqueueing started.
SWEEP_GRACE = datetime.timedelta(minutes=1)


def outbox_enqueue(
    *,
    about: str,
    kind: str,
    recipient: str,
    template: str,
    context: dict,
    subject: str,
    version: int = 1,
) -> OutboxMessage:
    """Queue one email rendered from `<template>.txt` and `<template>.html` (idempotent for the same
    about/recipient/kind/version); it is sent after the caller's transaction commits."""
    existing = OutboxMessage.objects.filter(
        about=about, recipient=recipient.strip().lower(), kind=kind, version=version
    ).first()
    if existing is not None:
        return existing
    context = {**context, "site_url": settings.SITE_URL, "subject": subject}
    return outbox_enqueue_rendered(
        about=about,
        kind=kind,
        recipient=recipient,
        subject=subject,
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
        version=version,
    )


def outbox_enqueue_rendered(
    *, about: str, kind: str, recipient: str, subject: str, text: str, html: str, version: int = 1
) -> OutboxMessage:
    """Queue an email whose parts are already rendered (the sign-in library's messages)."""
    recipient = recipient.strip().lower()
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "commonroom.localhost"
    try:
        with transaction.atomic():  # a savepoint: a duplicate from a racing request leaves the caller's work intact
            message = OutboxMessage.objects.create(
                about=about,
                recipient=recipient,
                kind=kind,
                version=version,
                subject=subject,
                text=text,
                html=html,
                message_id=make_msgid(domain=domain),
            )
    except IntegrityError:
        return OutboxMessage.objects.get(about=about, recipient=recipient, kind=kind, version=version)
    transaction.on_commit(lambda: _enqueue_send(message.pk))
    return message


def _enqueue_send(message_id: int) -> None:
    from core.tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except Exception:  # the broker is down: the sweep sends it later; the request must not fail
        log.warning("Outbox message %s queued for the sweep: the task could not be enqueued", message_id)


def outbox_deliver(message_id: int) -> bool:
    """Send one queued message. Returns whether it was sent now. Safe to call twice."""
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(pk=message_id, state=OutboxMessage.State.QUEUED).update(
            state=OutboxMessage.State.IN_FLIGHT, in_flight_since=timezone.now()
        )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message.message_id},
    )
    email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except Exception as error:  # SMTP refused or unreachable: back to the queue, or give up after enough tries
        attempts = message.attempts + 1
        state = OutboxMessage.State.FAILED if attempts >= MAX_ATTEMPTS else OutboxMessage.State.QUEUED
        OutboxMessage.objects.filter(pk=message_id).update(
            state=state, attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:2000], in_flight_since=None
        )
        log.warning("Outbox message %s not sent (attempt %s): %s", message_id, attempts, error)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(
        state=OutboxMessage.State.SENT, attempts=message.attempts + 1, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_sweep(now: datetime.datetime | None = None) -> int:
    """Send what was left behind: queued rows past the grace period, and rows stuck in flight."""
    now = now or timezone.now()
    OutboxMessage.objects.filter(state=OutboxMessage.State.IN_FLIGHT, in_flight_since__lt=now - STUCK_AFTER).update(
        state=OutboxMessage.State.QUEUED, in_flight_since=None
    )
    due = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED, created_at__lt=now - SWEEP_GRACE)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(outbox_deliver(pk) for pk in due)
