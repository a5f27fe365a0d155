"""API tokens: a person makes one on their API tokens page and sees its secret once (only a hash is
kept), sees their own tokens and nobody else's, and revokes one; bad input is refused at its field."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from reports.models import ApiToken
from reports.models.tokens import token_hash
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_kept_as_a_hash_used_and_revoked(tenant_a):
    client = signed_in(tenant_a.headteacher)
    url = f"/p/{tenant_a.slug}/reports/api-tokens/"
    assert "API tokens" in client.get(f"/p/{tenant_a.slug}/").content.decode()  # in the account bar
    made = client.post(url, {"name": "Governors' spreadsheet"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    with scopes_disabled():
        token = ApiToken.objects.get()
    page = made.content.decode()
    start = page.index('id="secret">') + len('id="secret">')
    secret = page[start : page.index("</code>", start)]
    assert token.token_hash == token_hash(secret) and secret not in str(token.__dict__)
    assert secret not in client.get(url).content.decode()  # never shown again
    api = Client(headers={"authorization": f"Bearer {secret}"})
    assert api.get(f"/api/v1/p/{tenant_a.slug}/members").status_code == 200

    revoke = f"/p/{tenant_a.slug}/reports/api-tokens/{token.pk}/revoke/"
    assert client.get(revoke).status_code == 200
    assert client.post(revoke).status_code == 302
    assert api.get(f"/api/v1/p/{tenant_a.slug}/members").status_code == 401
    assert "Revoked" in client.get(url).content.decode()
    with scopes_disabled():
        actions = list(AuditEvent.objects.filter(action__startswith="reports.").order_by("pk").values_list("action"))
    assert actions == [("reports.api_token_created",), ("reports.api_token_revoked",)]


def test_a_token_is_its_holder_s_alone(tenant_a):
    with scopes_disabled():
        from reports.services.tokens import api_token_create

        token, _ = api_token_create(actor=tenant_a.headteacher, partnership=tenant_a.partnership, name="Mine")
    coordinator = signed_in(tenant_a.coordinator)
    assert "Mine" not in coordinator.get(f"/p/{tenant_a.slug}/reports/api-tokens/").content.decode()
    assert coordinator.post(f"/p/{tenant_a.slug}/reports/api-tokens/{token.pk}/revoke/").status_code == 404
    with scopes_disabled():
        assert ApiToken.objects.get().revoked_at is None


@pytest.mark.parametrize(("name", "says"), [("", "Enter the token"), ("   ", "Enter the token"), ("x" * 81, "80")])
def test_a_token_needs_a_name_and_nothing_is_made_without_one(tenant_a, name, says):
    user = UserFactory()
    with scopes_disabled():
        give_role(user, tenant_a.partnership, "governor", tenant_a.schools[0])
    response = signed_in(user).post(f"/p/{tenant_a.slug}/reports/api-tokens/", {"name": name})
    assert response.status_code == 400
    assert says in response.content.decode()
    with scopes_disabled():
        assert not ApiToken.objects.exists()
