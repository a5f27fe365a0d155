"""Getting a meeting's notice to everyone: sending again a notice the mail server refused.

(People without an email address are given a printed notice, which the meeting page prints; that
writes nothing.)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.models import OutboxMessage
from core.outbox import outbox_requeue
from meetings.models import Invitee, Meeting
from meetings.selectors import invitee_notice


@transaction.atomic
def meeting_notice_resend(*, actor: User, invitee: Invitee) -> OutboxMessage:
    """Send again the latest notice to one invitee that failed: the same message (same content and
    Message-ID), queued afresh. Refused if it did not fail or the meeting is over."""
    meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=invitee.meeting_id)
    invitee = Invitee.objects.select_related("user", "person").get(pk=invitee.pk)
    if not invitee.is_current:
        raise ValidationError(f"{invitee.name} is not invited to this meeting")
    if meeting.ends <= timezone.now():
        raise ValidationError("This meeting is over, so there is no point sending its notice again")
    notice = invitee_notice(meeting, invitee)
    if notice is None or notice.state != OutboxMessage.State.FAILED:
        raise ValidationError(f"The notice to {invitee.name} has not failed, so there is nothing to send again")
    if not outbox_requeue(notice.pk):  # another request sent it again a moment ago
        raise ValidationError(f"The notice to {invitee.name} is already being sent again")
    notice.refresh_from_db()
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_NOTICE_RESENT,
        partnership=meeting.partnership,
        summary=f"Notice of {meeting.title} sent again to {invitee.name}",
        data={"meeting": meeting.pk, "invitee": invitee.pk, "message": notice.pk, "kind": notice.kind},
    )
    return notice
