"""Tenant isolation: no user ever sees or changes another partnership's data."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled

from accounts.models import User
from core.models import OutboxMessage
from partnerships.models import InterestReminder, Partnership
from schools.models import Budget, Census, School
from tests.security.urls import PLAIN_KWARGS, all_routes, fill, is_allowed_non_tenant, tenant_routes

# The apps whose models hold our data.
OUR_APPS = ("core", "accounts", "schools", "partnerships", "meetings", "finance", "subscriptions")

# Models of our apps with no partnership scope, each with why. Everything else must be scoped.
UNSCOPED = {
    Partnership: "the tenant itself: found by slug, then checked against the user's roles",
    User: "a person may hold roles in several partnerships; reached through their roles",
    School: "the shared register (GIAS): one row per school, whichever partnerships it belongs to",
    Census: "the shared register: a school's pupil numbers are the same for every partnership",
    Budget: "the shared register: a school's budget is the same for every partnership",
    OutboxMessage: "mail plumbing that knows no partnership: written and read only by the services and tasks "
    "that send a partnership's email, never listed on a page",
}


def _our_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def _is_scoped(model) -> bool:
    return hasattr(model._default_manager, "with_scopes_disabled")


def _scope_path(model) -> str | None:
    """The lookup django-scopes filters on for the partnership dimension, e.g. "rota__partnership"."""
    if not _is_scoped(model):
        return None
    # ScopedManager() keeps its dimensions only in the closure of the manager class it builds.
    get_queryset = type(model._default_manager).get_queryset
    cells = dict(zip(get_queryset.__code__.co_freevars, get_queryset.__closure__ or (), strict=True))
    return cells["scopes"].cell_contents.get("partnership") if "scopes" in cells else None


def _target_of(model, path: str):
    """The model a lookup path of foreign keys ends at (None if a part is not a foreign key)."""
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            return None
        model = field.related_model
    return model


def _key_path(model) -> str | None:
    """The shortest path of foreign keys from `model` to Partnership, e.g. "area__partnership"."""
    queue, seen = [(model, "")], {model}
    while queue:
        current, path = queue.pop(0)
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            lookup = f"{path}__{field.name}" if path else field.name
            if field.related_model is Partnership:
                return lookup
            if field.related_model not in seen:
                seen.add(field.related_model)
                queue.append((field.related_model, lookup))
    return None


def _partnership_models() -> dict[type[models.Model], str]:
    """Every model of our apps that belongs to a partnership, directly or through a parent, with the path to it:
    the scoped manager's own path where there is one, else the foreign keys'."""
    found = {}
    for model in _our_models():
        path = _scope_path(model) or _key_path(model)
        if path and model not in UNSCOPED:
            found[model] = path
    return found


def _with_every_kind(tenant):
    """Give the tenant a row of every tenant model (with scopes disabled, as fixtures are built)."""
    from partnerships.models import Candidate, Election
    from tests.factories.partnerships import DeclarationFactory, InterestFactory
    from tests.security.urls import OBJECT_KWARGS

    for make in OBJECT_KWARGS.values():  # people, groups, areas and their plans, rotas, notices...
        make(tenant)
    election = Election.objects.create(
        partnership=tenant.partnership,
        office=Election.Office.CHAIR,
        held_on=datetime.date(2025, 7, 1),
        term_starts=datetime.date(2025, 9, 1),
        term_ends=datetime.date(2027, 8, 31),
        method=Election.Method.ACCLAMATION,
        elected=tenant.headteacher,
        school=tenant.schools[0],
        recorded_by=tenant.coordinator,
    )
    Candidate.objects.create(election=election, user=tenant.headteacher)
    declaration = DeclarationFactory(partnership=tenant.partnership, user=tenant.headteacher, nothing_to_declare=False)
    InterestFactory(declaration=declaration)
    InterestReminder.objects.create(partnership=tenant.partnership, user=tenant.headteacher, day=datetime.date.today())
    from meetings.models import Attendance, Meeting

    Attendance.objects.create(
        meeting=Meeting.objects.filter(partnership=tenant.partnership).first(),
        school=tenant.schools[0],
        status=Attendance.Status.PRESENT,
        recorded_by=tenant.coordinator,
    )
    from tests.factories.meetings import AgendaItemFactory, paper_for

    item = AgendaItemFactory(meeting=Meeting.objects.filter(partnership=tenant.partnership).first(), title="Budget")
    paper_for(item, uploaded_by=tenant.coordinator, text=f"{tenant.partnership.name} budget")
    from meetings.models import FollowUp

    item.decisions.create(text="Agreed the budget", recorded_by=tenant.coordinator)
    FollowUp.objects.create(
        partnership=tenant.partnership,
        school=tenant.schools[0],
        last_absence=item.meeting,
        note="Spoke to the head",
        recorded_by=tenant.coordinator,
    )
    from partnerships.calendar import academic_year_of
    from subscriptions.services.bookings import booking_create
    from tests.factories.subscriptions import subscribed, tariff

    today = timezone.localdate()
    subscription = subscribed(tenant, year=academic_year_of(today))
    booking_create(
        actor=tenant.headteacher,
        subscription=subscription,
        item=tariff(tenant.partnership)["visit"],
        on=today,
        hours=Decimal("1"),
        report=False,
    )
    from subscriptions.services.visits import visit_read
    from tests.factories.visits import visit_for

    visit_read(actor=tenant.headteacher, visit=visit_for(tenant))  # a recorded reading of a note of visit
    return tenant


@pytest.fixture
def full_tenants(tenant_a, tenant_b):
    return _with_every_kind(tenant_a), _with_every_kind(tenant_b)


def _rows_of(partnership) -> dict[str, list[dict]]:
    """Every row of every tenant model that belongs to `partnership`, field by field."""
    with scopes_disabled():
        return {
            model._meta.label: list(model._default_manager.filter(**{path: partnership}).order_by("pk").values())
            for model, path in _partnership_models().items()
        }


def test_every_model_of_our_apps_is_scoped_or_listed_as_shared():
    installed = {config.label for config in apps.get_app_configs()}
    assert set(OUR_APPS) <= installed, f"OUR_APPS names apps that are not installed: {set(OUR_APPS) - installed}"
    unlisted = [
        model._meta.label for model in _our_models() if model not in UNSCOPED and model not in _partnership_models()
    ]
    assert unlisted == [], f"models neither scoped to a partnership nor listed in UNSCOPED with a reason: {unlisted}"
    shared_but_scoped = [model._meta.label for model in UNSCOPED if _is_scoped(model) or _key_path(model)]
    assert shared_but_scoped == [], f"listed as unscoped but belong to a partnership: {shared_but_scoped}"


def test_every_model_with_a_partnership_key_has_a_scoped_default_manager():
    found = _partnership_models()
    # Directly (Membership...) and through a parent (RotaSeat, GroupMember, Interest, Candidate...).
    for expected in ("accounts.AuditEvent", "partnerships.RotaSeat", "partnerships.Interest", "partnerships.Candidate"):
        assert expected in {model._meta.label for model in found}, expected
    unscoped = [model._meta.label for model in found if not _is_scoped(model)]
    assert unscoped == [], f"tenant models without django-scopes' ScopedManager: {unscoped}"
    wrong = {
        model._meta.label: path
        for model, path in found.items()
        if _scope_path(model) is None or _target_of(model, _scope_path(model)) is not Partnership
    }
    assert wrong == {}, f"scoped managers without a partnership scope that leads to Partnership: {wrong}"


@pytest.mark.django_db
def test_scoped_models_refuse_queries_outside_a_scope():
    for model in _partnership_models():
        with pytest.raises(ScopeError):
            list(model._default_manager.all())
        with pytest.raises(ScopeError):
            model._default_manager.filter(pk=1).exists()


@pytest.mark.django_db
def test_scoped_models_only_return_the_active_partnerships_rows(full_tenants):
    tenant_a, tenant_b = full_tenants
    empty = []
    for model, path in _partnership_models().items():
        with scopes_disabled():
            rows_a = set(model._default_manager.filter(**{path: tenant_a.partnership}).values_list("pk", flat=True))
            rows_b = set(model._default_manager.filter(**{path: tenant_b.partnership}).values_list("pk", flat=True))
        if not (rows_a and rows_b):
            empty.append(model._meta.label)
            continue
        with scope(partnership=tenant_a.partnership):
            seen = set(model._default_manager.values_list("pk", flat=True))
        assert seen == rows_a, f"{model._meta.label} inside A's scope returned {seen}, A has {rows_a}, B has {rows_b}"
    assert empty == [], f"add a row of each of these to _with_every_kind() for both partnerships: {empty}"


def test_every_url_is_either_tenant_scoped_or_known_to_be_safe():
    unknown = [f"{r.name} ({r.route})" for r in all_routes() if not r.is_tenant and not is_allowed_non_tenant(r)]
    assert unknown == [], (
        f"URLs outside /p/<slug>/ must be listed in tests/security/urls.py with why they hold no tenant data: {unknown}"
    )


def test_there_are_tenant_urls_to_check():
    assert len(tenant_routes()) >= 7


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_of_partnership_a_gets_404_for_every_url_of_partnership_b(tenant_a, tenant_b, client_for, method):
    client = client_for(tenant_a.coordinator)  # the most powerful role in A
    failures = []
    for route in tenant_routes():
        for slug_tenant in (tenant_b, tenant_a):  # B's slug; and A's slug with B's objects
            if slug_tenant is tenant_a and set(route.kwargs) <= {"partnership_slug", *PLAIN_KWARGS}:
                continue  # no objects in the URL: A's own page
            if slug_tenant is tenant_b and route.token_access:
                continue  # B's own secret link works for whoever holds it, by design: A's slug must not
            url = fill(route, slug_tenant=slug_tenant, object_tenant=tenant_b)
            response = getattr(client, method)(url)
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url} ({route.name}) -> {response.status_code}")
    assert failures == []


# What a careless view might accept: ending, renaming, withdrawing, marking as left or done.
HOSTILE_POST = {
    "end": "2020-01-01",
    "left": "2020-01-01",
    "name": "Changed by A",
    "full_name": "Changed by A",
    "description": "Changed by A",
    "status": "done",
    "confirm": "yes",
}


@pytest.mark.django_db
def test_nothing_of_partnership_b_changes_when_a_tries(full_tenants, client_for):
    tenant_a, tenant_b = full_tenants
    client = client_for(tenant_a.coordinator)
    routes = tenant_routes()
    before = _rows_of(tenant_b.partnership)
    assert all(before.values()), {label: rows for label, rows in before.items() if not rows}
    for route in routes:
        for slug_tenant in (tenant_b, tenant_a):  # B's slug; and A's slug with B's objects
            url = fill(route, slug_tenant=slug_tenant, object_tenant=tenant_b)
            client.get(url)
            client.post(url, HOSTILE_POST)
    after = _rows_of(tenant_b.partnership)
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert changed == {}, f"partnership B's rows changed (before, after): {changed}"


@pytest.mark.django_db
def test_an_unknown_slug_is_404_and_anonymous_users_are_sent_to_sign_in(tenant_a, client):
    for route in tenant_routes():
        url = fill(route, slug_tenant=tenant_a, object_tenant=tenant_a)
        response = client.get(url)
        if route.token_access:  # the secret link is the capability; a wrong one finds nothing
            assert response.status_code == 200, url
            guessed = fill(route, slug_tenant=tenant_a, object_tenant=tenant_a, tamper=True)
            assert client.get(guessed).status_code == 404, guessed
            continue
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    from django.test import Client

    from tests.factories.accounts import UserFactory

    outsider = Client()
    outsider.force_login(UserFactory())
    for route in tenant_routes():
        if not route.token_access:
            assert outsider.get(fill(route, slug_tenant=tenant_a, object_tenant=tenant_a)).status_code == 404
