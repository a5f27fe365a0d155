"""The email outbox: every email Commonroom sends goes through here.

    outbox_enqueue(about="meeting:12", kind="meeting.notice", version=3, recipient=..., template=
                   "meetings/email/notice", context={...})

writes one OutboxMessage in the caller's transaction (so a rolled-back change sends nothing) and,
once that transaction commits, asks a task to send it. The task claims the row ("in flight", committed
before SMTP is spoken to), sends it with its own Message-ID and records the outcome. A beat task
sweeps rows left queued (broker or worker down), rows due to be tried again, and rows stuck in flight
(a worker died mid-send), so nothing is lost; no long countdowns, which the Redis broker would deliver
twice. A temporary refusal (an SMTP 4xx answer, a dropped connection) waits and is tried again with a
growing pause; a permanent one (5xx), or too many tries, marks the message failed.

The one window where a reader can get a message twice: the server accepted it and the row was not
updated (the worker died, or the server's answer was lost on the way). The resend carries the same
Message-ID, so mail clients show it once.

A message may carry an iCalendar object (`calendar=`, a meeting invitation): it goes as a third
alternative, `text/calendar` with the object's METHOD as its method parameter (Outlook ignores an
invitation whose two methods differ), and again as an `invite.ics` attachment of type application/ics.

Every message has a plain-text and an HTML part, rendered from `<template>.txt` and `<template>.html`
(which extend templates/email/base.*), under the product's name.
"""

import datetime
import logging
import re
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText, make_msgid
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A send that has not finished in this long was cut off (a worker killed mid-send): try it again. Each step
# of a send (connecting, each command, the message) gives up after the SMTP timeout, so a live send ends
# within a handful of timeouts; twenty (ten minutes at the default 30 seconds) is far longer, whatever the
# timeout is set to.
STUCK_AFTER = datetime.timedelta(seconds=20 * settings.EMAIL_TIMEOUT)
# After a temporary failure: 1, 2, 4 ... sweeps (minutes, by default), at most an hour, before the next try.
FIRST_RETRY = datetime.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
LONGEST_RETRY = datetime.timedelta(hours=1)
# Queued rows younger than one sweep are left to the task that enqueueing started.
SWEEP_GRACE = datetime.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
# Once the broker could not take a task, this process stops offering it more for a while: each try costs
# most of a second when Redis is down, and scheduling a meeting for a hundred people must not take minutes.
# The rows wait for the sweep instead.
BROKER_PAUSE_SECONDS = 10.0
_broker_down_until = 0.0


def outbox_enqueue(
    *,
    about: str,
    kind: str,
    recipient: str,
    template: str,
    context: dict,
    subject: str,
    version: int = 1,
    calendar: str = "",
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
        calendar=calendar,
    )


def outbox_enqueue_rendered(
    *,
    about: str,
    kind: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    version: int = 1,
    calendar: str = "",
) -> OutboxMessage:
    """Queue an email whose parts are already rendered (the sign-in library's messages)."""
    recipient = recipient.strip().lower()
    if calendar:
        calendar_method(calendar)  # a calendar that does not say its METHOD is a bug: refuse it now, not at sending
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
                calendar=calendar,
                message_id=make_msgid(domain=domain),
            )
    except IntegrityError:
        return OutboxMessage.objects.get(about=about, recipient=recipient, kind=kind, version=version)
    transaction.on_commit(lambda: _enqueue_send(message.pk))
    return message


def _enqueue_send(message_id: int) -> None:
    global _broker_down_until
    from core.tasks import send_outbox_message

    if time.monotonic() < _broker_down_until:
        log.warning("Outbox message %s queued for the sweep: the broker was down moments ago", message_id)
        return
    try:
        send_outbox_message.delay(message_id)
    except Exception:  # the broker is down: the sweep sends it later; the request must not fail
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("Outbox message %s queued for the sweep: the task could not be enqueued", message_id)


class _Email(EmailMultiAlternatives):
    """Django's email with, when there is one, the calendar as a third alternative part."""

    def __init__(self, *args, calendar: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        if calendar:
            self.attach("invite.ics", calendar, "application/ics")

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if self.calendar:
            part = SafeMIMEText(self.calendar, "calendar", "utf-8")
            part.set_param("method", calendar_method(self.calendar))
            msg.attach(part)
        return msg


def calendar_method(calendar: str) -> str:
    """The METHOD property of an iCalendar object (REQUEST, CANCEL, PUBLISH)."""
    found = re.search(r"^METHOD:([A-Z-]+)\r?$", calendar, flags=re.MULTILINE)
    if found is None:
        raise ValueError("A calendar sent by email must say its METHOD")
    return found.group(1)


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer will not change by trying again; anything else (4xx, a lost connection) may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def retry_delay(attempts: int) -> datetime.timedelta:
    """The pause before the next try after `attempts` failed ones."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def outbox_deliver(message_id: int) -> bool:
    """Send one queued message (or one waiting to try again). Returns whether it was sent now. Safe to
    call twice: only the call that moves the row to "in flight" speaks to the SMTP server."""
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(
            pk=message_id, state__in=[OutboxMessage.State.QUEUED, OutboxMessage.State.RETRY]
        ).update(state=OutboxMessage.State.IN_FLIGHT, in_flight_since=timezone.now(), next_attempt_at=None)
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    email = _Email(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message.message_id},
        calendar=message.calendar,
    )
    email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except Exception as error:  # refused or unreachable: wait and try again, or give up
        attempts = message.attempts + 1
        failed = attempts >= MAX_ATTEMPTS or _is_permanent(error)
        OutboxMessage.objects.filter(pk=message_id).update(
            state=OutboxMessage.State.FAILED if failed else OutboxMessage.State.RETRY,
            next_attempt_at=None if failed else timezone.now() + retry_delay(attempts),
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            in_flight_since=None,
        )
        log.warning("Outbox message %s not sent (attempt %s): %s", message_id, attempts, error)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(
        state=OutboxMessage.State.SENT, attempts=message.attempts + 1, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_requeue(message_id: int) -> bool:
    """Queue a failed message to be sent again (someone fixed what made it fail, or wants another
    try): back to "queued" with its tries counted afresh, the same Message-ID, sent after the caller's
    transaction commits. Returns False, changing nothing, if the message had not failed."""
    requeued = OutboxMessage.objects.filter(pk=message_id, state=OutboxMessage.State.FAILED).update(
        state=OutboxMessage.State.QUEUED, attempts=0, next_attempt_at=None, in_flight_since=None
    )
    if requeued:
        transaction.on_commit(lambda: _enqueue_send(message_id))
    return bool(requeued)


def outbox_sweep(now: datetime.datetime | None = None) -> int:
    """Send what was left behind: queued rows past the grace period, rows due to be tried again, and
    rows stuck in flight."""
    now = now or timezone.now()
    OutboxMessage.objects.filter(state=OutboxMessage.State.IN_FLIGHT, in_flight_since__lt=now - STUCK_AFTER).update(
        state=OutboxMessage.State.QUEUED, in_flight_since=None
    )
    due = list(
        OutboxMessage.objects.filter(
            Q(state=OutboxMessage.State.QUEUED, created_at__lt=now - SWEEP_GRACE)
            | Q(state=OutboxMessage.State.RETRY, next_attempt_at__lte=now)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(outbox_deliver(pk) for pk in due)
