from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from config.celery import TenantTask
from core.outbox import outbox_enqueue
from partnerships.roles import Role


@shared_task(base=TenantTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(self, invitation_id: int, *, partnership_id: int) -> bool:
    """Queue the email with the one-use link in the outbox. Idempotent: an invitation already sent,
    used or withdrawn is skipped."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("partnership", "school", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at or invitation.status != "pending":
            return False
        context = {
            "invitation": invitation,
            "role_label": Role(invitation.role).label,
            "url": settings.SITE_URL + reverse("invitation_accept", args=[invitation.token]),
        }
        outbox_enqueue(
            about=f"invitation:{invitation.pk}",
            kind="invitation",
            recipient=invitation.email,
            template="partnerships/email/invitation",
            context=context,
            subject=f"You are invited to {invitation.partnership.name} on Commonroom",
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True
