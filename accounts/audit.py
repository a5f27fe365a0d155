"""Writing to the append-only audit log. Every service that changes who can do what calls this."""

from typing import Any

from django_scopes import scopes_disabled

from accounts.models import AuditEvent


def audit_record(*, actor, action: str, summary: str, partnership=None, data: dict[str, Any] | None = None):
    # Writing a row with an explicit partnership cannot leak another tenant's data; sign-ins have
    # no partnership and happen outside any scope, so creation is done with scopes off.
    with scopes_disabled():
        return AuditEvent.objects.create(
            partnership=partnership,
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            summary=summary[:300],
            data=data or {},
        )
