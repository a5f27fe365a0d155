"""Every tenant view × every role × anonymous → the expected status, in one table.

A new tenant URL fails test_matrix_covers_every_tenant_view until its row is added here.
"""

import pytest
from django.test import Client

from partnerships.roles import SCHOOL_ROLES, Role
from tests.factories import UserFactory, give_role
from tests.security.urls import fill, tenant_routes

OK, DENIED = 200, 403
ANON = "anonymous"
R = Role

# Who may do what. Columns: every role, then anonymous (sent to sign in).
_LEADERS = {R.COORDINATOR, R.CHAIR, R.VICE_CHAIR}
_ALL = set(Role)
_VIEWERS = _ALL - {R.LA_OBSERVER}

ALLOWED: dict[str, set[Role]] = {
    "partnerships:dashboard": _ALL,
    "partnerships:people": _VIEWERS,
    "partnerships:invite": {R.COORDINATOR},
    "partnerships:role_end": {R.COORDINATOR},
    "partnerships:invitation_withdraw": {R.COORDINATOR},
    "partnerships:settings": {R.COORDINATOR},
    "partnerships:activity": _LEADERS,
}


def test_matrix_covers_every_tenant_view():
    names = {route.name for route in tenant_routes()}
    assert names == set(ALLOWED), f"add a row to ALLOWED for: {names - set(ALLOWED)}"


def _cases():
    for name, allowed in ALLOWED.items():
        for role in Role:
            yield name, role.value, OK if role in allowed else DENIED
        yield name, ANON, 302


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
