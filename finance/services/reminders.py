"""Reminding schools of overdue contributions by email, found by a beat sweep (finance.tasks).

A request is reminded FIRST_REMINDER_AFTER_DAYS after it fell due with something still owed, then every
REMINDER_INTERVAL_DAYS, MAX_REMINDERS times at most (finance.selectors, where the reasons are), and not
once its year is closed (no payment could be recorded against it then). Each reminder is a
ContributionReminder row, unique per request and sequence, written in one transaction with its outbox
message(s) under the outbox's unique (about, recipient, kind, version) and its audit row: a second
sweep, or two at once, finds the row and sends nothing twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from core.outbox import outbox_enqueue
from finance.models import ContributionReminder
from finance.selectors import contribution_reminders_due, partnership_coordinator, reminder_recipients
from partnerships.models import Partnership
from partnerships.selectors.constitution import constitution_of

REMINDER_KIND = "finance.contribution_reminder"
_ORDINAL = {1: "first", 2: "second", 3: "third"}


def contribution_reminders_send(
    *, actor: User | None, partnership: Partnership, today: datetime.date | None = None
) -> int:
    """Queue every reminder due today in the partnership; returns how many requests were reminded.
    `actor` is None when beat sends them. A request with nobody to write to is left for the coordinator
    (the overdue list shows it) and recorded as nothing sent."""
    today = today or timezone.localdate()
    due = contribution_reminders_due(partnership, today)
    if not due:
        return 0
    constitution = constitution_of(partnership)
    banker = constitution.banker_school
    coordinator = partnership_coordinator(partnership, today)
    sent = 0
    for reminder in due:
        request = reminder.request
        recipients = reminder_recipients(request, today)
        if not recipients:
            continue
        with transaction.atomic():
            # Two sweeps at once: the second insert waits on the unique constraint, then finds the row.
            _, created = ContributionReminder.objects.get_or_create(
                request=request,
                sequence=reminder.sequence,
                defaults={"sent_on": today, "outstanding": request.outstanding},
            )
            if not created:
                continue
            context = {
                "partnership": partnership,
                "request": request,
                "school": request.school,
                "year": request.year,
                "sequence": reminder.sequence,
                "ordinal": _ORDINAL.get(reminder.sequence, f"{reminder.sequence}th"),
                "due": date_label(request.due),
                "days_overdue": (today - request.due).days,
                "banker": banker,
                "coordinator": coordinator,
                "statement_path": f"/p/{partnership.slug}/finance/statements/{request.school_id}/",
                # The person the request was addressed to; the school's headteacher(s) when it named nobody.
                "greeting": (request.addressed_to if request.addressed_email else "") or "Headteacher",
            }
            for recipient in recipients:
                outbox_enqueue(
                    about=f"contribution-request:{request.pk}",
                    kind=REMINDER_KIND,
                    version=reminder.sequence,
                    recipient=recipient,
                    # Plain ASCII where we can: a pound sign makes the whole subject an encoded word, which
                    # some readers show with a stray leading space once it is folded.
                    subject=f"Reminder: {request.school.name}'s contribution to {partnership.name} is overdue "
                    f"(request {request.reference})",
                    template="finance/email/contribution_reminder",
                    context=context,
                )
            audit_record(
                subject=request,
                actor=actor,
                action=AuditAction.CONTRIBUTION_REMINDED,
                partnership=partnership,
                summary=f"{request.school.name} reminded ({_ORDINAL.get(reminder.sequence, reminder.sequence)} "
                f"reminder) that £{request.outstanding:,.2f} is overdue on request {request.reference}",
                data={
                    "request": request.pk,
                    "sequence": reminder.sequence,
                    "outstanding": str(request.outstanding),
                    "recipients": recipients,
                },
            )
        sent += 1
    return sent
