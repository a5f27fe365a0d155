"""A person makes a token for the read API (reports.api) in a partnership where they hold a role, and
revokes it. The secret is shown once, when it is made; only its hash is kept."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.models import Partnership, RoleAssignment
from reports.models import ApiToken
from reports.models.tokens import PREFIX_LENGTH, token_hash

MAX_LIVE_TOKENS = 10


@transaction.atomic
def api_token_create(*, actor: User, partnership: Partnership, name: str) -> tuple[ApiToken, str]:
    """A new token of `actor` for `partnership`; returns it and its secret, which is never shown again."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": 'Enter a name for the token, like "Governors\' spreadsheet"'})
    with scopes_disabled():
        if not RoleAssignment.objects.filter(user=actor, partnership=partnership).active().exists():
            raise ValidationError(f"You hold no role in {partnership.name}")
        live = ApiToken.objects.filter(partnership=partnership, user=actor, revoked_at__isnull=True).count()
    if live >= MAX_LIVE_TOKENS:
        raise ValidationError({"name": f"You have {live} tokens: revoke one you no longer use before making another"})
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        partnership=partnership, user=actor, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=token_hash(secret)
    )
    audit_record(
        subject=token,
        actor=actor,
        partnership=partnership,
        action=AuditAction.API_TOKEN_CREATED,
        summary=f"API token {name!r} made",
        data={"token": token.pk, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Its holder revokes a token: it answers nothing from now on. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise ValidationError("Only the person who made a token revokes it")
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        subject=token,
        actor=actor,
        partnership=token.partnership,
        action=AuditAction.API_TOKEN_REVOKED,
        summary=f"API token {token.name!r} revoked",
        data={"token": token.pk, "prefix": token.prefix},
    )
    return token
