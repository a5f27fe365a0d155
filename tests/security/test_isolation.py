"""Tenant isolation: no user ever sees or changes another partnership's data."""

import pytest
from django.apps import apps
from django.db import models
from django_scopes import ScopeError, scope

from partnerships.models import Partnership
from tests.security.urls import all_routes, fill, is_allowed_non_tenant, tenant_routes


def _partnership_models():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Partnership:
                yield model
                break


def test_every_model_with_a_partnership_key_has_a_scoped_default_manager():
    found = list(_partnership_models())
    assert len(found) >= 4, found  # Membership, RoleAssignment, Invitation, AuditEvent at least
    unscoped = [
        model.__name__ for model in found if not hasattr(model._default_manager, "with_scopes_disabled")
    ]
    assert unscoped == [], f"tenant models without django-scopes' ScopedManager: {unscoped}"


@pytest.mark.django_db
def test_scoped_models_refuse_queries_outside_a_scope():
    for model in _partnership_models():
        with pytest.raises(ScopeError):
            list(model.objects.all())


@pytest.mark.django_db
def test_scoped_models_only_return_the_active_partnerships_rows(tenant_a, tenant_b):
    for model in _partnership_models():
        with scope(partnership=tenant_a.partnership):
            leaked = [obj for obj in model.objects.all() if obj.partnership_id == tenant_b.partnership.pk]
        assert leaked == [], f"{model.__name__} returned partnership B's rows inside A's scope"


def test_every_url_is_either_tenant_scoped_or_known_to_be_safe():
    unknown = [
        f"{r.name} ({r.route})" for r in all_routes() if not r.is_tenant and not is_allowed_non_tenant(r)
    ]
    assert unknown == [], (
        "URLs outside /p/<slug>/ must be listed in tests/security/urls.py with why they hold no tenant data: "
        f"{unknown}"
    )


def test_there_are_tenant_urls_to_check():
    assert len(tenant_routes()) >= 7


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_of_partnership_a_gets_404_for_every_url_of_partnership_b(
    tenant_a, tenant_b, client_for, method
):
    client = client_for(tenant_a.coordinator)  # the most powerful role in A
    failures = []
    for route in tenant_routes():
        for slug_tenant in (tenant_b, tenant_a):  # B's slug; and A's slug with B's objects
            if slug_tenant is tenant_a and route.kwargs == ("partnership_slug",):
                continue  # no objects in the URL: A's own page
            url = fill(route, slug_tenant=slug_tenant, object_tenant=tenant_b)
            response = getattr(client, method)(url)
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url} ({route.name}) -> {response.status_code}")
    assert failures == []


@pytest.mark.django_db
def test_nothing_of_partnership_b_changes_when_a_tries(tenant_a, tenant_b, client_for):
    from django_scopes import scopes_disabled

    client = client_for(tenant_a.coordinator)
    for route in tenant_routes():
        client.post(fill(route, slug_tenant=tenant_a, object_tenant=tenant_b), {"end": "2020-01-01"})
    with scopes_disabled():
        tenant_b.role.refresh_from_db()
        tenant_b.invitation.refresh_from_db()
    assert tenant_b.role.end is None
    assert tenant_b.invitation.withdrawn_at is None


@pytest.mark.django_db
def test_an_unknown_slug_is_404_and_anonymous_users_are_sent_to_sign_in(tenant_a, client):
    for route in tenant_routes():
        url = fill(route, slug_tenant=tenant_a, object_tenant=tenant_a)
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    from django.test import Client

    from tests.factories import UserFactory

    outsider = Client()
    outsider.force_login(UserFactory())
    for route in tenant_routes():
        assert outsider.get(fill(route, slug_tenant=tenant_a, object_tenant=tenant_a)).status_code == 404
