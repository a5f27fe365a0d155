from allauth.account.signals import user_logged_in
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from accounts.audit import AuditAction, audit_record


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.ACCOUNT_SIGNED_IN, summary=f"{user.email} signed in", subject=user)


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit_record(actor=None, action=AuditAction.ACCOUNT_SIGN_IN_FAILED, summary=f"Failed sign-in for {email}")
