"""The read API (reports.api) under the same rules as the pages, with tokens instead of sessions: every
API URL, asked with a token of partnership A for partnership B's slug or B's objects, is a 404 in JSON;
a revoked token, an unknown one and none at all are a 401 in JSON; every role gets what its permissions
give; and nothing of B changes. New API URLs are covered automatically (tests/security/urls.py)."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from partnerships.roles import SCHOOL_ROLES, Role
from reports.services.tokens import api_token_create, api_token_revoke
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role
from tests.security.registry import merged
from tests.security.test_isolation import _rows_of, _with_every_kind
from tests.security.urls import api_routes, fill

API_ALLOWED = merged("API_ALLOWED")


def token_client(user, partnership) -> Client:
    with scopes_disabled():
        _, secret = api_token_create(actor=user, partnership=partnership, name="Test")
    return Client(headers={"authorization": f"Bearer {secret}"})


def _json_detail(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["detail"]


def test_there_are_api_urls_and_each_has_a_row():
    names = {route.name for route in api_routes()}
    assert len(names) >= 4
    assert names == set(API_ALLOWED), f"add rows to API_ALLOWED in tests/security/registry/: {names ^ set(API_ALLOWED)}"


@pytest.mark.django_db
def test_a_token_of_partnership_a_finds_nothing_of_partnership_b(tenant_a, tenant_b):
    client = token_client(tenant_a.coordinator, tenant_a.partnership)  # the most powerful role in A
    failures = []
    for route in api_routes():
        for slug_tenant in (tenant_b, tenant_a):  # B's slug; and A's slug with B's objects
            if slug_tenant is tenant_a and set(route.kwargs) == {"partnership_slug"}:
                continue  # no objects in the URL: A's own list
            url = fill(route, slug_tenant=slug_tenant, object_tenant=tenant_b)
            response = client.get(url)
            if response.status_code != 404:
                failures.append(f"GET {url} ({route.name}) -> {response.status_code}")
            else:
                _json_detail(response)
    assert failures == []
    # B's own token, for B, answers: the 404s above are A's token, not a broken API.
    own = token_client(tenant_b.coordinator, tenant_b.partnership)
    assert own.get(fill(api_routes()[0], slug_tenant=tenant_b, object_tenant=tenant_b)).status_code == 200


@pytest.mark.django_db
def test_revoked_unknown_and_missing_tokens_are_401_in_json(tenant_a):
    with scopes_disabled():
        token, secret = api_token_create(actor=tenant_a.headteacher, partnership=tenant_a.partnership, name="Old")
        api_token_revoke(actor=tenant_a.headteacher, token=token)
    clients = {
        "revoked": Client(headers={"authorization": f"Bearer {secret}"}),
        "unknown": Client(headers={"authorization": "Bearer not-a-token"}),
        "none": Client(),
        "a session is not a token": Client(),
    }
    clients["a session is not a token"].force_login(tenant_a.headteacher)
    for route in api_routes():
        url = fill(route, slug_tenant=tenant_a, object_tenant=tenant_a)
        for why, client in clients.items():
            response = client.get(url)
            assert response.status_code == 401, f"{why}: {url} -> {response.status_code}"
            assert "token" in _json_detail(response)


@pytest.mark.django_db
def test_a_token_lapses_with_its_holder_s_roles(tenant_a):
    from partnerships.models import RoleAssignment

    client = token_client(tenant_a.headteacher, tenant_a.partnership)
    url = fill(api_routes()[0], slug_tenant=tenant_a, object_tenant=tenant_a)
    assert client.get(url).status_code == 200
    with scopes_disabled():
        RoleAssignment.objects.filter(user=tenant_a.headteacher).update(start="2019-09-01", end="2020-01-01")
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_its_permissions_give(role, tenant_a):
    user = UserFactory()
    school = tenant_a.schools[1] if role in SCHOOL_ROLES else None  # a school's role is for another school
    with scopes_disabled():
        give_role(user, tenant_a.partnership, role, school)
    client = token_client(user, tenant_a.partnership)
    for route in api_routes():
        response = client.get(fill(route, slug_tenant=tenant_a, object_tenant=tenant_a))
        expected = 200 if role in API_ALLOWED[route.name] else 403
        assert response.status_code == expected, f"{role} {route.name} -> {response.status_code}"
        if expected == 403:
            _json_detail(response)


@pytest.mark.django_db
def test_nothing_of_partnership_b_changes_when_a_tries(full_tenants_for_api):
    tenant_a, tenant_b = full_tenants_for_api
    client = token_client(tenant_a.coordinator, tenant_a.partnership)
    before = _rows_of(tenant_b.partnership)
    for route in api_routes():
        for slug_tenant in (tenant_b, tenant_a):
            url = fill(route, slug_tenant=slug_tenant, object_tenant=tenant_b)
            own_list = slug_tenant is tenant_a and set(route.kwargs) == {"partnership_slug"}
            assert client.get(url).status_code == (200 if own_list else 404)
            assert client.post(url, {"name": "Changed by A"}).status_code in (404, 405)
            assert client.delete(url).status_code in (404, 405)
    assert _rows_of(tenant_b.partnership) == before


@pytest.fixture
def full_tenants_for_api(tenant_a, tenant_b):
    return _with_every_kind(tenant_a), _with_every_kind(tenant_b)
