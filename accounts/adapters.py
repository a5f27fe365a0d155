import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from core.outbox import outbox_enqueue_rendered


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People join by a coordinator's invitation, never by signing themselves up.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send the sign-in library's emails (password reset, address confirmation, security notices)
        through the outbox, in our own words, with a text and an HTML part."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx, request).split())
        subject = self.format_email_subject(subject)
        text = render_to_string(f"{template_prefix}_message.txt", ctx, request).strip()
        try:
            html = render_to_string(f"{template_prefix}_message.html", ctx, request)
        except TemplateDoesNotExist:
            html = render_to_string("email/from_text.html", {**ctx, "subject": subject, "text": text}, request)
        outbox_enqueue_rendered(
            about=f"account:{uuid.uuid4().hex}",  # each of these is its own message, never a resend
            kind=template_prefix.rpartition("/")[2],
            recipient=email,
            subject=subject,
            text=text + "\n",
            html=html,
        )
