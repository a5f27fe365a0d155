"""Permissions are worked out from the roles in force on the day they are asked for, never stored.

So a role's end date takes its permissions away on the day with nothing run in between, and a role
held in one partnership says nothing about a school in another.
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django_scopes import scopes_disabled
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from partnerships.models import Partnership
from partnerships.roles import (
    ALL_PARTNERSHIP_PERMISSIONS,
    ALL_SCHOOL_PERMISSIONS,
    PARTNERSHIP_PERMISSIONS,
    Role,
    permissions_for,
    school_permissions_for,
)
from partnerships.selectors.permissions import partnership_permissions, school_permissions
from partnerships.tenancy import TenantContext
from schools.models import School
from tests.clock import on_day
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, give_role
from tests.factories.schools import SchoolFactory

# A headteacher, for their school.
HEAD = {
    "act_for_school",
    "govern_school",
    "manage_school_people",
    "view_school_private",
    "read_governors_report",
    "release_governors_report",
}
# A governor, for their school; the chair of governors also sees the agreement's state.
GOVERNOR = {"govern_school", "view_school_private", "read_governors_report"}
pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MANAGE = {"manage_people", "manage_members", "manage_governance", "change_constitution", "change_partnership"}


def _url(tenant, path: str) -> str:
    return f"/p/{tenant.slug}/{path}"


# The map, as pure functions


def test_the_permissions_of_several_roles_are_the_union_of_each_roles():
    roles = [SimpleNamespace(role=Role.HEADTEACHER, school_id=1), SimpleNamespace(role=Role.CHAIR, school_id=None)]
    assert permissions_for(roles) == PARTNERSHIP_PERMISSIONS[Role.HEADTEACHER] | PARTNERSHIP_PERMISSIONS[Role.CHAIR]
    assert permissions_for([]) == frozenset()


def test_school_permissions_count_only_roles_held_for_that_school():
    roles = [
        SimpleNamespace(role=Role.HEADTEACHER, school_id=1),
        SimpleNamespace(role=Role.ADVISER, school_id=2),
        SimpleNamespace(role=Role.COORDINATOR, school_id=None),
    ]
    assert school_permissions_for(roles, 1) == HEAD
    assert school_permissions_for(roles, 2) == {"advise_school", "view_school_private"}
    assert school_permissions_for(roles, 3) == frozenset()


@pytest.mark.parametrize(
    ("model", "given"), [(Partnership, ALL_PARTNERSHIP_PERMISSIONS), (School, ALL_SCHOOL_PERMISSIONS)]
)
def test_the_models_describe_exactly_the_permissions_roles_give(model, given):
    """Meta.permissions is the wording of each permission; the map in partnerships/roles.py is the rule."""
    described = {codename for codename, _ in model._meta.permissions}
    defaults = {f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions}
    assert described <= given
    assert given <= described | defaults


# Partnership permissions on the day


def test_a_role_that_ended_yesterday_grants_nothing_today_with_nothing_run_since(tenant_a, client_for, today):
    user = UserFactory()
    give_role(user, tenant_a.partnership, Role.COORDINATOR, end=today + DAY)
    client = client_for(user)
    assert TenantContext(user, tenant_a.partnership).has("manage_people")
    assert client.get(_url(tenant_a, "settings/")).status_code == 200

    with on_day(today + 2 * DAY):  # the role's end date was yesterday
        context = TenantContext(user, tenant_a.partnership)
        assert context.perms == frozenset()
        assert not context.has("manage_people")
        assert partnership_permissions(user, tenant_a.partnership) == frozenset()
        # No role left in the partnership: it is as if it did not exist.
        assert client.get(_url(tenant_a, "settings/")).status_code == 404
        assert client.get(_url(tenant_a, "people/invite/")).status_code == 404


def test_a_role_that_starts_tomorrow_grants_nothing_today(tenant_a, client_for, today):
    user = UserFactory()
    give_role(user, tenant_a.partnership, Role.COORDINATOR, start=today + DAY)
    client = client_for(user)
    assert not TenantContext(user, tenant_a.partnership).has("manage_people")
    assert partnership_permissions(user, tenant_a.partnership) == frozenset()
    assert client.get(_url(tenant_a, "settings/")).status_code == 404

    with on_day(today + DAY):
        assert TenantContext(user, tenant_a.partnership).has("manage_people")
        assert client.get(_url(tenant_a, "settings/")).status_code == 200


def test_a_coordinator_who_is_also_a_head_keeps_view_access_but_not_manage_after_the_coordinator_role(
    tenant_a, client_for, today
):
    user = UserFactory()
    give_role(user, tenant_a.partnership, Role.COORDINATOR, end=today + DAY)
    give_role(user, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    client = client_for(user)
    assert MANAGE <= TenantContext(user, tenant_a.partnership).perms
    assert _url(tenant_a, "people/invite/") in client.get(_url(tenant_a, "people/")).content.decode()

    with on_day(today + 2 * DAY):  # the day after the coordinator role's end date
        context = TenantContext(user, tenant_a.partnership)
        assert context.perms.isdisjoint(MANAGE)
        assert context.has("view_people") and context.has("view_members")
        assert context.has_for_school("act_for_school", tenant_a.schools[1])
        assert client.get(_url(tenant_a, "people/")).status_code == 200
        assert client.get(_url(tenant_a, "membership/")).status_code == 200
        for path in ("settings/", "people/invite/", "membership/join/", "governance/offices/record/"):
            assert client.get(_url(tenant_a, path)).status_code == 403, path
        # Templates read the same set: the invitation button has gone.
        assert _url(tenant_a, "people/invite/") not in client.get(_url(tenant_a, "people/")).content.decode()


def test_guardian_rows_for_a_roles_permission_grant_nothing(tenant_a):
    """Only roles give partnership and school permissions: a stray or stale guardian row is ignored."""
    assign_perm("partnerships.manage_people", tenant_a.headteacher, tenant_a.partnership)
    assign_perm("schools.advise_school", tenant_a.headteacher, tenant_a.schools[1])
    context = TenantContext(tenant_a.headteacher, tenant_a.partnership)
    assert not context.has("manage_people")
    assert not context.has_for_school("advise_school", tenant_a.schools[1])


def test_the_permissions_of_a_request_cost_only_the_roles_query(tenant_a, django_assert_num_queries):
    context = TenantContext(tenant_a.headteacher, tenant_a.partnership)
    with django_assert_num_queries(1):
        assert context.has("view_people")
        assert not context.has("manage_people")
        assert context.has_for_school("govern_school", tenant_a.schools[0])
        assert not context.has_for_school("govern_school", tenant_a.schools[1])


def test_a_misspelt_permission_is_an_error_not_a_quiet_no(tenant_a):
    context = TenantContext(tenant_a.coordinator, tenant_a.partnership)
    with pytest.raises(ValueError, match="manage_peple"):
        context.has("manage_peple")
    with pytest.raises(ValueError, match="govern_schol"):
        context.has_for_school("govern_schol", tenant_a.schools[0])


# School permissions: always for one (partnership, school) pair


def test_a_head_may_act_for_their_own_school_only(tenant_a):
    context = TenantContext(tenant_a.headteacher, tenant_a.partnership)
    assert context.school_perms(tenant_a.schools[0]) == HEAD
    assert context.has_for_school("act_for_school", tenant_a.schools[0].pk)  # a pk will do too
    assert context.school_perms(tenant_a.schools[1]) == frozenset()
    assert TenantContext(tenant_a.coordinator, tenant_a.partnership).school_perms(tenant_a.schools[0]) == frozenset()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.HEADTEACHER, HEAD),
        (Role.DEPUTY, {"act_for_school", "view_school_private"}),
        (Role.GOVERNOR, GOVERNOR),
        (Role.CHAIR_OF_GOVERNORS, GOVERNOR | {"see_governors_agreement"}),
        (Role.FINANCE_OFFICER, {"act_for_school", "view_school_private", "keep_partnership_funds"}),
        (Role.ADVISER, {"advise_school", "view_school_private"}),
    ],
)
def test_each_school_role_gives_its_permissions_on_its_school(tenant_a, role, expected):
    user = UserFactory()
    give_role(user, tenant_a.partnership, role, tenant_a.schools[1])
    assert school_permissions(user, tenant_a.partnership, tenant_a.schools[1]) == expected
    assert TenantContext(user, tenant_a.partnership).school_perms(tenant_a.schools[1]) == expected
    assert school_permissions(user, tenant_a.partnership, tenant_a.schools[0]) == frozenset()


def test_an_adviser_advises_each_school_they_are_assigned_and_no_other(tenant_a):
    third = MembershipFactory(partnership=tenant_a.partnership).school
    adviser = UserFactory()
    for school in tenant_a.schools:
        give_role(adviser, tenant_a.partnership, Role.ADVISER, school)
    context = TenantContext(adviser, tenant_a.partnership)
    assert all(context.has_for_school("advise_school", school) for school in tenant_a.schools)
    assert not context.has_for_school("advise_school", third)
    assert not context.has_for_school("act_for_school", tenant_a.schools[0])
    assert school_permissions(adviser, tenant_a.partnership, third) == frozenset()


def test_a_role_for_a_school_in_one_partnership_says_nothing_in_another(tenant_a, tenant_b):
    """The same school in two partnerships: the head in A is only vice chair in B, a role for no school."""
    shared = tenant_a.schools[0]
    MembershipFactory(partnership=tenant_b.partnership, school=shared)
    user = UserFactory()
    give_role(user, tenant_a.partnership, Role.HEADTEACHER, shared)
    give_role(user, tenant_b.partnership, Role.VICE_CHAIR)

    assert school_permissions(user, tenant_a.partnership, shared) == HEAD
    assert school_permissions(user, tenant_b.partnership, shared) == frozenset()
    assert TenantContext(user, tenant_a.partnership).has_for_school("act_for_school", shared)
    assert not TenantContext(user, tenant_b.partnership).has_for_school("act_for_school", shared)
    assert TenantContext(user, tenant_b.partnership).has("view_partnership")


def test_roles_for_one_school_in_two_partnerships_each_count_only_in_their_own(tenant_a, tenant_b, today):
    shared = tenant_a.schools[0]
    MembershipFactory(partnership=tenant_b.partnership, school=shared)
    user = UserFactory()
    give_role(user, tenant_a.partnership, Role.HEADTEACHER, shared, end=today + DAY)
    give_role(user, tenant_b.partnership, Role.GOVERNOR, shared)
    assert school_permissions(user, tenant_a.partnership, shared) == HEAD
    assert school_permissions(user, tenant_b.partnership, shared) == GOVERNOR

    # The headship in A ends: B's governorship is untouched, and gives nothing back in A.
    later = today + 2 * DAY
    assert school_permissions(user, tenant_a.partnership, shared, on=later) == frozenset()
    assert school_permissions(user, tenant_b.partnership, shared, on=later) == GOVERNOR
    with on_day(later):
        assert TenantContext(user, tenant_a.partnership).school_perms(shared) == frozenset()
        assert TenantContext(user, tenant_b.partnership).school_perms(shared) == GOVERNOR


def test_a_school_role_that_starts_tomorrow_gives_nothing_on_the_school_today(tenant_a, today):
    user = UserFactory()
    give_role(user, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1], start=today + DAY)
    assert school_permissions(user, tenant_a.partnership, tenant_a.schools[1]) == frozenset()
    assert school_permissions(user, tenant_a.partnership, tenant_a.schools[1], on=today + DAY) == GOVERNOR


# The copies made before permissions were worked out per request


def test_the_migration_deletes_the_copied_rows_and_keeps_explicit_grants(tenant_a):
    migration = importlib.import_module("partnerships.migrations.0006_delete_copied_role_permissions")
    outsider_school = SchoolFactory()
    with scopes_disabled():
        membership = tenant_a.partnership.memberships.first()
    assign_perm("partnerships.manage_people", tenant_a.coordinator, tenant_a.partnership)
    assign_perm("partnerships.view_partnership", tenant_a.headteacher, tenant_a.partnership)
    assign_perm("schools.act_for_school", tenant_a.headteacher, tenant_a.schools[0])
    assign_perm("schools.advise_school", tenant_a.headteacher, outsider_school)
    grant = assign_perm("partnerships.view_membership", tenant_a.headteacher, membership)

    migration.delete_copied_rows(apps, None)

    assert list(UserObjectPermission.objects.all()) == [grant]
    assert Permission.objects.filter(codename="manage_people").exists()  # the wording stays
