"""The API tokens pages (reports/urls.py) and the read API (reports/api, through test_api_isolation.py).

A token is its holder's alone (the registry's is the coordinator's): to everyone else its revoke page does not exist."""

from django.utils import timezone

from partnerships.roles import Role
from reports.models import ApiToken
from reports.models.tokens import token_hash
from tests.security.registry.meetings import _meeting

_ALL = set(Role)


def _token(tenant) -> ApiToken:
    secret = f"registry-api-token-{tenant.slug}"
    token, _ = ApiToken.objects.get_or_create(
        token_hash=token_hash(secret),
        defaults={
            "partnership": tenant.partnership,
            "user": tenant.coordinator,
            "name": "Registry",
            "prefix": secret[:8],
        },
    )
    return token


def _minuted_meeting(tenant):
    """The registry meeting, with approved minutes, so the API's minutes answer 200 to those who may read them."""
    from meetings.models import Minutes

    meeting = _meeting(tenant)
    Minutes.objects.get_or_create(
        meeting=meeting,
        defaults={
            "status": Minutes.Status.APPROVED,
            "circulated_at": timezone.now(),
            "approved_at": timezone.now(),
            "approved_at_meeting": meeting,
        },
    )
    return meeting


OBJECT_KWARGS = {
    "api_token_pk": lambda tenant: _token(tenant).pk,
    "meeting_id": lambda tenant: _minuted_meeting(tenant).pk,
}

ALLOWED = {
    "reports:api_tokens": _ALL,
    "reports:api_token_revoke": set(),  # the holder's own (the tenant's coordinator), never a matrix user's
}
NOT_FOUND = {"reports:api_token_revoke": _ALL}

# The read API, by token: who gets 200 (view_members; view_meetings; who reads minutes); everyone else 403.
_VIEWERS = _ALL - {Role.LA_OBSERVER}
API_ALLOWED = {
    "api:members": _ALL,
    "api:meetings": _VIEWERS,
    "api:meeting": _VIEWERS,
    # Approved minutes: as on the page, the local authority's observers too (the test partnership's
    # agreement sends them the minutes).
    "api:minutes": _ALL,
}
