from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from config.celery import TenantTask
from partnerships.roles import Role


@shared_task(base=TenantTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(self, invitation_id: int, *, partnership_id: int) -> bool:
    """Email the one-use link. Idempotent: an invitation already sent, used or withdrawn is skipped."""
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
        send_mail(
            subject=f"You are invited to {invitation.partnership.name} on Commonroom",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True
