"""Tenant isolation for this area's URLs (the project-wide tests cover them too, through the registry)."""

import pytest
from django_scopes import scopes_disabled

from schools.models import Census, Person
from tests.security.urls import PLAIN_KWARGS, fill, tenant_routes

ROUTES = [route for route in tenant_routes() if route.name.startswith("members:")]


def test_every_members_url_is_in_the_registry():
    from tests.security.registry.schools import ALLOWED

    assert {route.name for route in ROUTES} == set(ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_coordinator_of_a_gets_404_for_every_members_url_of_b(tenant_a, tenant_b, client_for, method):
    client = client_for(tenant_a.coordinator)
    failures = []
    for route in ROUTES:
        for slug_tenant in (tenant_b, tenant_a):
            if slug_tenant is tenant_a and set(route.kwargs) <= {"partnership_slug", *PLAIN_KWARGS}:
                continue  # names no object (a download's format is not a row of B's)
            url = fill(route, slug_tenant=slug_tenant, object_tenant=tenant_b)
            response = getattr(client, method)(
                url, {"full_name": "X", "position": "teacher", "year": "2026", "headcount": "1", "fte": "1"}
            )
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert failures == []
    with scopes_disabled():
        assert not Census.objects.exists()
        assert list(Person.objects.filter(partnership=tenant_a.partnership)) == []
        assert Person.objects.filter(partnership=tenant_b.partnership, full_name="Registry Person").count() == 1
