from allauth.account.signals import user_logged_in
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from accounts.audit import audit_record


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="account.signed_in", summary=f"{user.email} signed in")


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit_record(actor=None, action="account.sign_in_failed", summary=f"Failed sign-in for {email}")
