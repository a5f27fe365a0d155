"""Who is asking: the bearer token, its holder's roles today, and the partnership in the URL."""

import functools

from django.http import Http404
from django_scopes import scope, scopes_disabled
from ninja.security import HttpBearer

from partnerships.tenancy import TENANT_KWARG, TenantContext
from reports.models import ApiToken
from reports.models.tokens import token_hash


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. An unknown or revoked token is a 401; a live token used with
    another partnership's slug, or whose holder no longer holds a role in its partnership, finds
    nothing there (404), as a page does for someone without a role."""

    openapi_description = "A token made on your API tokens page in Commonroom, sent as `Authorization: Bearer <token>`"

    def authenticate(self, request, token: str):
        with scopes_disabled():
            row = (
                ApiToken.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
                .select_related("user", "partnership")
                .first()
            )
        if row is None or not row.user.is_active:
            return None
        if request.resolver_match.kwargs.get(TENANT_KWARG) != row.partnership.slug:
            raise Http404("No such partnership")
        tenant = TenantContext(row.user, row.partnership)
        if not tenant.roles:
            raise Http404("No such partnership")
        request.user = row.user
        request.partnership = row.partnership
        request.tenant = tenant
        return row


def in_tenant_scope(endpoint):
    """Run an endpoint inside its partnership's scope, so every tenant query is filtered to it."""

    @functools.wraps(endpoint)
    def run(request, *args, **kwargs):
        with scope(partnership=request.partnership):
            return endpoint(request, *args, **kwargs)

    return run
