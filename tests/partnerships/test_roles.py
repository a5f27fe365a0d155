import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.permissions import partnership_permissions, school_permissions
from partnerships.services import role_end, role_start
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


def test_starting_a_role_gives_its_permissions_and_is_audited(tenant_a):
    user = UserFactory()
    with scopes_disabled():
        assignment = role_start(
            actor=tenant_a.coordinator,
            user=user,
            partnership=tenant_a.partnership,
            role=Role.HEADTEACHER,
            school=tenant_a.schools[0],
        )
    p = tenant_a.partnership
    assert {"view_partnership", "view_members", "view_people"} <= partnership_permissions(user, p)
    assert "manage_people" not in partnership_permissions(user, p)
    assert school_permissions(user, p, tenant_a.schools[0]) == {
        "act_for_school",
        "govern_school",
        "manage_school_people",
        "view_school_private",
        "read_governors_report",
        "release_governors_report",
    }
    assert school_permissions(user, p, tenant_a.schools[1]) == set()
    with scopes_disabled():
        event = AuditEvent.objects.get(action="role.started", data__role_assignment=assignment.pk)
    assert event.actor == tenant_a.coordinator and event.partnership == tenant_a.partnership


def test_ending_a_role_ends_its_permissions_but_keeps_history(tenant_a, today):
    user = UserFactory()
    with scopes_disabled():
        assignment = give_role(user, tenant_a.partnership, Role.COORDINATOR)
        role_end(actor=tenant_a.coordinator, assignment=assignment, end=today)
        assignment.refresh_from_db()
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
        assert AuditEvent.objects.filter(action="role.ended", data__role_assignment=assignment.pk).exists()
    assert assignment.end == today
    # The end date is the last day in force: the role still counts today, and not tomorrow.
    assert "manage_people" in partnership_permissions(user, tenant_a.partnership, on=today)
    assert partnership_permissions(user, tenant_a.partnership, on=today + datetime.timedelta(days=1)) == set()


def test_a_role_cannot_end_before_it_starts(tenant_a):
    with scopes_disabled():
        with pytest.raises(ValidationError) as info:
            role_end(
                actor=tenant_a.coordinator,
                assignment=tenant_a.role,
                end=tenant_a.role.start - datetime.timedelta(days=1),
            )
        tenant_a.role.refresh_from_db()
    assert "cannot end before it started" in str(info.value)
    assert tenant_a.role.end is None


def test_a_role_that_ends_before_it_starts_is_refused(tenant_a, today):
    user = UserFactory()
    with scopes_disabled(), pytest.raises(ValidationError) as info:
        role_start(
            actor=None,
            user=user,
            partnership=tenant_a.partnership,
            role=Role.COORDINATOR,
            start=today,
            end=today - datetime.timedelta(days=1),
        )
    assert "end" in info.value.message_dict
    with scopes_disabled():
        assert not RoleAssignment.objects.filter(user=user).exists()


def test_ending_an_ended_role_is_refused(tenant_a, today):
    with scopes_disabled():
        role_end(actor=None, assignment=tenant_a.role, end=today - datetime.timedelta(days=1))
        with pytest.raises(ValidationError, match="already ended"):
            role_end(actor=None, assignment=tenant_a.role, end=today)


def test_a_role_whose_last_day_is_today_can_still_be_moved(tenant_a, today):
    """Its last day is today, so it has not ended: the end can still be changed."""
    with scopes_disabled():
        role_end(actor=None, assignment=tenant_a.role, end=today)
        role_end(actor=None, assignment=tenant_a.role, end=today + datetime.timedelta(days=3))
        tenant_a.role.refresh_from_db()
    assert tenant_a.role.end == today + datetime.timedelta(days=3)


@pytest.mark.parametrize(
    ("role", "school_index", "field", "message"),
    [
        (Role.HEADTEACHER, None, "school", "Choose the school"),
        (Role.COORDINATOR, 0, "school", "not held for a school"),
        (Role.HEADTEACHER, "outsider", "school", "is not a member"),
        ("emperor", None, "role", "Choose a role"),
    ],
)
def test_school_rules(tenant_a, role, school_index, field, message):
    school = None
    if school_index == "outsider":
        school = SchoolFactory()
    elif school_index is not None:
        school = tenant_a.schools[school_index]
    with scopes_disabled(), pytest.raises(ValidationError) as info:
        role_start(actor=None, user=UserFactory(), partnership=tenant_a.partnership, role=role, school=school)
    assert message in " ".join(info.value.message_dict[field])


def test_the_same_role_twice_is_refused(tenant_a):
    with scopes_disabled(), pytest.raises(ValidationError, match="already headteacher"):
        role_start(
            actor=None,
            user=tenant_a.headteacher,
            partnership=tenant_a.partnership,
            role=Role.HEADTEACHER,
            school=tenant_a.schools[0],
        )
