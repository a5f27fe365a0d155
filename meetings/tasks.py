"""Reminders, found by a beat sweep over the database (never by long countdown tasks, which a Redis
broker redelivers after its visibility timeout).

- Someone who has not answered an invitation is reminded ANSWER_REMINDER_DAYS before the meeting; one
  reminder per meeting version (a moved meeting may remind again).
- A presenter whose item has no paper is reminded from PAPERS_REMINDER_DAYS before the papers deadline;
  one reminder per deadline.
- An action's owner is reminded ACTION_REMINDER_DAYS before it is due, and once when it is overdue.

Each reminder is one outbox row under the outbox's unique (about, recipient, kind, version), written
with its audit row in one transaction: a second sweep, or two at once, finds the row and sends nothing.
"""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from config.celery import TenantTask
from core.dates import date_label
from core.models import OutboxMessage
from core.outbox import outbox_enqueue
from meetings.selectors import action_reminders_due, answer_link_token, answer_reminders_due, papers_reminders_due
from meetings.services.scheduling import when_label
from partnerships.models import Partnership

ANSWER_REMINDER = "meeting.answer_reminder"
PAPERS_REMINDER = "meeting.papers_reminder"
ACTION_REMINDER = "meeting.action_reminder"


def _queued(about: str, recipient: str, kind: str, version: int) -> bool:
    return OutboxMessage.objects.filter(about=about, recipient=recipient.lower(), kind=kind, version=version).exists()


@shared_task(base=TenantTask, bind=True)
def send_meeting_reminders(self, *, partnership_id: int) -> int:
    """Queue the reminders due now in one partnership; returns how many were new."""
    partnership = Partnership.objects.get(pk=partnership_id)
    now = timezone.now()
    sent = 0
    for invitee in answer_reminders_due(now).filter(meeting__partnership=partnership):
        meeting, about = invitee.meeting, f"meeting:{invitee.meeting_id}"
        if not invitee.email or _queued(about, invitee.email, ANSWER_REMINDER, meeting.sequence):
            continue
        with transaction.atomic():
            outbox_enqueue(
                about=about,
                kind=ANSWER_REMINDER,
                version=meeting.sequence,
                recipient=invitee.email,
                subject=f"Reminder: can you come to {meeting.title}, {when_label(meeting)}?",
                template="meetings/email/answer_reminder",
                context={
                    "meeting": meeting,
                    "invitee": invitee,
                    "when": when_label(meeting),
                    "path": f"/p/{partnership.slug}/meetings/{meeting.pk}/",
                    "answer_path": f"/p/{partnership.slug}/meetings/answer/{answer_link_token(invitee)}/",
                },
            )
            audit_record(
                subject=meeting,
                actor=None,
                action=AuditAction.MEETING_REMINDED,
                partnership=partnership,
                summary=f"{invitee.name} reminded to answer the invitation to {meeting.title}",
                data={"meeting": meeting.pk, "invitee": invitee.pk, "sequence": meeting.sequence},
            )
        sent += 1
    for item in papers_reminders_due(timezone.localdate()).filter(meeting__partnership=partnership):
        meeting, presenter = item.meeting, item.presenter
        about, version = f"agenda-item:{item.pk}", meeting.papers_deadline.toordinal()
        if not presenter.email or _queued(about, presenter.email, PAPERS_REMINDER, version):
            continue
        with transaction.atomic():
            outbox_enqueue(
                about=about,
                kind=PAPERS_REMINDER,
                version=version,
                recipient=presenter.email,
                subject=f"Your paper for {meeting.title} is due by {date_label(meeting.papers_deadline)}",
                template="meetings/email/papers_reminder",
                context={
                    "meeting": meeting,
                    "item": item,
                    "presenter": presenter,
                    "when": when_label(meeting),
                    "deadline": date_label(meeting.papers_deadline),
                    "path": f"/p/{partnership.slug}/meetings/items/{item.pk}/papers/",
                },
            )
            audit_record(
                subject=meeting,
                actor=None,
                action=AuditAction.PAPERS_REMINDED,
                partnership=partnership,
                summary=f"{presenter} reminded that the paper for {item.title} is due",
                data={"meeting": meeting.pk, "item": item.pk, "deadline": meeting.papers_deadline.isoformat()},
            )
        sent += 1
    today = timezone.localdate()
    for action in action_reminders_due(today).filter(meeting__partnership=partnership):
        overdue = action.due < today
        # Two reminders an action at most: one as it falls due, one once it is overdue.
        version = action.due.toordinal() * 2 + int(overdue)
        about = f"action:{action.pk}"
        if not action.owner.email or _queued(about, action.owner.email, ACTION_REMINDER, version):
            continue
        with transaction.atomic():
            outbox_enqueue(
                about=about,
                kind=ACTION_REMINDER,
                version=version,
                recipient=action.owner.email,
                subject=("Overdue action" if overdue else "Action due soon")
                + f" from {action.meeting.title}: due {date_label(action.due)}",
                template="meetings/email/action_reminder",
                context={
                    "action": action,
                    "overdue": overdue,
                    "due": date_label(action.due),
                    "path": f"/p/{partnership.slug}/meetings/actions/{action.pk}/done/",
                    "list_path": f"/p/{partnership.slug}/meetings/actions/?owner={action.owner_id}&status=open",
                },
            )
            audit_record(
                subject=action.meeting,
                actor=None,
                action=AuditAction.ACTION_REMINDED,
                partnership=partnership,
                summary=f"{action.owner} reminded of an action " + ("overdue" if overdue else "due soon"),
                data={"action": action.pk, "overdue": overdue},
            )
        sent += 1
    return sent


@shared_task
def send_meeting_reminders_everywhere() -> int:
    """For celery beat: one reminder run per active partnership, each in its own scope."""
    ids = list(Partnership.objects.filter(status=Partnership.Status.ACTIVE).values_list("pk", flat=True))
    for partnership_id in ids:
        send_meeting_reminders.delay(partnership_id=partnership_id)
    return len(ids)
