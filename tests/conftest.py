"""Shared fixtures. Like pretix: fixtures are built with scopes disabled, test bodies run with scopes
on, so a view or service that forgets its tenant filter fails the test instead of leaking."""

import datetime
from dataclasses import dataclass

import pytest
from django_scopes import scopes_disabled

from accounts.models import Invitation
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.services.invitations import invitation_create
from schools.models import School
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import MembershipFactory, PartnershipFactory, give_role
from tests.factories.schools import SchoolFactory


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    with scopes_disabled():
        return (yield)


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    from django.core.cache import caches

    from core import freshness

    for cache in caches.all():  # allauth's rate limits and kept dashboards: each test starts afresh
        cache.clear()
    freshness._cache_down_until = 0.0  # a test that took the cache away must not leave it "failing"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


# SQLite's flush, which clears the database after each transactional (live server) test, is a DELETE of
# every table, and the ledger's append-only triggers rightly refuse it (PostgreSQL's TRUNCATE fires no
# row triggers). So on SQLite a transactional test takes the triggers away just before its flush, and
# the next test that uses the database puts them back first, outside its own transaction.
_ledger_triggers_dropped = False


# The append-only ledgers' trigger migrations (each has SQLITE and SQLITE_REVERSE statements).
APPEND_ONLY_MIGRATIONS = (
    "finance.migrations.0004_ledger_is_append_only",
    "subscriptions.migrations.0002_credit_ledger_is_append_only",
)


def _ledger_trigger_statements(attribute: str) -> list[str]:
    import importlib

    return [
        statement for name in APPEND_ONLY_MIGRATIONS for statement in getattr(importlib.import_module(name), attribute)
    ]


@pytest.fixture(autouse=True)
def _ledger_triggers_survive_sqlite_flushes(request):
    global _ledger_triggers_dropped
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if connection.vendor != "sqlite" or not uses_db:
        yield
        return
    if _ledger_triggers_dropped:
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock(), connection.cursor() as cursor:
            for statement in _ledger_trigger_statements("SQLITE"):
                cursor.execute(statement)
        _ledger_triggers_dropped = False
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # so this is torn down before the flush
    yield
    with connection.cursor() as cursor:
        for statement in _ledger_trigger_statements("SQLITE_REVERSE"):
            cursor.execute(statement)
    _ledger_triggers_dropped = True


@dataclass
class Tenant:
    """A partnership with one object of every kind, for isolation and permission tests."""

    partnership: Partnership
    schools: list[School]
    coordinator: object
    headteacher: object
    role: RoleAssignment
    invitation: Invitation

    @property
    def slug(self) -> str:
        return self.partnership.slug


def make_tenant(name: str) -> Tenant:
    partnership = PartnershipFactory(name=name, slug=name.lower().replace(" ", "-"))
    schools = [MembershipFactory(partnership=partnership).school for _ in range(2)]
    coordinator = UserFactory(full_name=f"{name} Coordinator")
    give_role(coordinator, partnership, Role.COORDINATOR)
    headteacher = UserFactory(full_name=f"{name} Head")
    role = give_role(headteacher, partnership, Role.HEADTEACHER, schools[0])
    former = UserFactory(full_name=f"{name} Former Head")
    give_role(
        former,
        partnership,
        Role.HEADTEACHER,
        schools[1],
        start=datetime.date(2020, 9, 1),
        end=datetime.date(2023, 8, 31),
    )
    invitation = invitation_create(
        actor=coordinator,
        partnership=partnership,
        email=f"invitee@{partnership.slug}.example",
        full_name="Invited Person",
        role=Role.GOVERNOR,
        school=schools[1],
    )
    return Tenant(partnership, schools, coordinator, headteacher, role, invitation)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return make_tenant("Alpha Partnership")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return make_tenant("Beta Partnership")


@pytest.fixture
def client_for():
    return signed_in


@pytest.fixture
def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


__all__ = ["Membership", "SchoolFactory", "make_tenant"]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; Django's SMTP backend points at it for the test."""
    from tests.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
