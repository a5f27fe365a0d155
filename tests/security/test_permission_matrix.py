"""Every tenant view × every role × anonymous → the expected status, in one table.

A new tenant URL fails test_matrix_covers_every_tenant_view until its row is added here.
"""

import pytest
from django.test import Client

from partnerships.roles import SCHOOL_ROLES, Role
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role
from tests.security.registry import merged
from tests.security.urls import fill, tenant_routes

OK, DENIED, HIDDEN = 200, 403, 404
ANON = "anonymous"

# Who may do what: {view name: roles that get 200}; one module per area in tests/security/registry/.
ALLOWED: dict[str, set[Role]] = merged("ALLOWED")
# Pages of a school's private records: {view name: roles that get 404, as if the page did not exist}.
# School roles are held for another school than the one in the URL (tenant.schools[1] vs [0]).
NOT_FOUND: dict[str, set[Role]] = merged("NOT_FOUND")


def test_matrix_covers_every_tenant_view():
    names = {route.name for route in tenant_routes()}
    assert names == set(ALLOWED), f"add rows to ALLOWED in tests/security/registry/ for: {names ^ set(ALLOWED)}"


def _cases():
    token_routes = {route.name for route in tenant_routes() if route.token_access}
    for name, allowed in ALLOWED.items():
        for role in Role:
            hidden = role in NOT_FOUND.get(name, set())
            yield name, role.value, OK if role in allowed else HIDDEN if hidden else DENIED
        # A secret link (a calendar feed) is fetched without signing in; every other page asks to sign in.
        yield name, ANON, OK if name in token_routes else 302


@pytest.mark.django_db
@pytest.mark.parametrize(("view_name", "role", "expected"), list(_cases()))
def test_permission_matrix(view_name, role, expected, tenant_a):
    route = next(r for r in tenant_routes() if r.name == view_name)
    client = Client()
    if role != ANON:
        user = UserFactory()
        school = tenant_a.schools[1] if role in SCHOOL_ROLES else None
        give_role(user, tenant_a.partnership, role, school)
        client.force_login(user)
    response = client.get(fill(route, slug_tenant=tenant_a, object_tenant=tenant_a))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")
