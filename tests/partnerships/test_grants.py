"""Explicit grants: one permission on one of a partnership's records, to a named person, audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from guardian.models import UserObjectPermission

from accounts.models import AuditEvent
from partnerships.models import Membership
from partnerships.roles import Role
from partnerships.selectors.permissions import has_object_grant
from partnerships.services.grants import object_grant, object_withdraw
from tests.clock import on_day
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, give_role

pytestmark = pytest.mark.django_db

PERM = "partnerships.view_membership"


@pytest.fixture
def record(tenant_a) -> Membership:
    """One of partnership A's own records to share (a membership stands in for a confidential paper)."""
    with scopes_disabled():
        return Membership.objects.get(partnership=tenant_a.partnership, school=tenant_a.schools[0])


def _events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action))


def test_a_grant_is_given_checked_and_withdrawn_with_an_audit_row_each_way(tenant_a, record):
    person = tenant_a.headteacher
    assert not has_object_grant(person, PERM, record)

    object_grant(actor=tenant_a.coordinator, partnership=tenant_a.partnership, user=person, perm=PERM, obj=record)
    assert has_object_grant(person, PERM, record)
    assert has_object_grant(person, "view_membership", record)  # the bare codename works too
    assert not has_object_grant(person, "partnerships.change_membership", record)
    assert not has_object_grant(tenant_a.coordinator, PERM, record)  # granted to a named person only
    (given,) = _events("grant.given")
    assert given.actor == tenant_a.coordinator and given.partnership == tenant_a.partnership
    assert given.data == {
        "user": person.pk,
        "perm": PERM,
        "object": "partnerships.Membership",
        "object_pk": str(record.pk),
    }

    object_withdraw(actor=tenant_a.coordinator, partnership=tenant_a.partnership, user=person, perm=PERM, obj=record)
    assert not has_object_grant(person, PERM, record)
    (withdrawn,) = _events("grant.withdrawn")
    assert withdrawn.actor == tenant_a.coordinator and withdrawn.partnership == tenant_a.partnership
    assert withdrawn.data["user"] == person.pk


def test_granting_or_withdrawing_twice_changes_nothing_the_second_time(tenant_a, record):
    kwargs = {"actor": tenant_a.coordinator, "partnership": tenant_a.partnership, "user": tenant_a.headteacher}
    object_grant(**kwargs, perm=PERM, obj=record)
    object_grant(**kwargs, perm=PERM, obj=record)
    assert UserObjectPermission.objects.count() == 1
    assert len(_events("grant.given")) == 1
    object_withdraw(**kwargs, perm=PERM, obj=record)
    object_withdraw(**kwargs, perm=PERM, obj=record)
    assert len(_events("grant.withdrawn")) == 1


def test_a_person_without_a_role_in_force_is_refused(tenant_a, tenant_b, record, today):
    stranger, leaver, elsewhere = UserFactory(), UserFactory(), tenant_b.coordinator
    give_role(leaver, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1], end=today - datetime.timedelta(days=1))
    for person in (stranger, leaver, elsewhere):
        with pytest.raises(ValidationError) as info:
            object_grant(
                actor=tenant_a.coordinator, partnership=tenant_a.partnership, user=person, perm=PERM, obj=record
            )
        assert "holds no role" in " ".join(info.value.message_dict["user"])
    assert not UserObjectPermission.objects.exists()
    assert _events("grant.given") == []


def test_a_grant_in_one_partnership_says_nothing_in_another(tenant_a, tenant_b, record):
    """The same school is a member of both; the person has roles in both; only A's record was shared."""
    MembershipFactory(partnership=tenant_b.partnership, school=tenant_a.schools[0])
    with scopes_disabled():
        record_in_b = Membership.objects.get(partnership=tenant_b.partnership, school=tenant_a.schools[0])
    person = UserFactory()
    give_role(person, tenant_a.partnership, Role.VICE_CHAIR)
    give_role(person, tenant_b.partnership, Role.VICE_CHAIR)

    object_grant(actor=tenant_a.coordinator, partnership=tenant_a.partnership, user=person, perm=PERM, obj=record)
    assert has_object_grant(person, PERM, record)
    assert not has_object_grant(person, PERM, record_in_b)

    # Nor can A's record be shared in B's name: the audit row would sit in the wrong partnership.
    with pytest.raises(ValidationError) as info:
        object_grant(actor=tenant_b.coordinator, partnership=tenant_b.partnership, user=person, perm=PERM, obj=record)
    assert "not one of Beta Partnership's records" in " ".join(info.value.message_dict["obj"])
    with scopes_disabled():
        assert not AuditEvent.objects.filter(partnership=tenant_b.partnership, action="grant.given").exists()


def test_a_grant_lapses_with_the_persons_roles_and_can_still_be_withdrawn(tenant_a, record, today):
    person = UserFactory()
    give_role(person, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1], end=today + datetime.timedelta(days=1))
    object_grant(actor=tenant_a.coordinator, partnership=tenant_a.partnership, user=person, perm=PERM, obj=record)
    assert has_object_grant(person, PERM, record)
    with on_day(today + datetime.timedelta(days=2)):
        assert not has_object_grant(person, PERM, record)
        object_withdraw(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, user=person, perm=PERM, obj=record
        )
    assert not UserObjectPermission.objects.exists()


def test_what_roles_give_cannot_be_granted_by_hand(tenant_a):
    """The partnership and the shared school register are covered by roles; grants are for records."""
    kwargs = {"actor": tenant_a.coordinator, "partnership": tenant_a.partnership, "user": tenant_a.headteacher}
    for perm, obj in (
        ("partnerships.manage_people", tenant_a.partnership),
        ("schools.act_for_school", tenant_a.schools[1]),
    ):
        with pytest.raises(ValidationError, match="not one of"):
            object_grant(**kwargs, perm=perm, obj=obj)
    assert not UserObjectPermission.objects.exists()


def test_an_unknown_permission_is_refused(tenant_a, record):
    with pytest.raises(ValidationError) as info:
        object_grant(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            user=tenant_a.headteacher,
            perm="partnerships.read_minds",
            obj=record,
        )
    assert "perm" in info.value.message_dict
    with pytest.raises(ValidationError):  # a permission of another model
        object_grant(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            user=tenant_a.headteacher,
            perm="schools.view_school",
            obj=record,
        )
    with pytest.raises(ValueError):
        has_object_grant(tenant_a.headteacher, "partnerships.read_minds", record)


def test_no_one_holds_a_grant_they_were_not_given(tenant_a, record):
    from accounts.models import User

    superuser = User.objects.create_superuser("root@example.org", "a-long-test-password-1")
    assert not has_object_grant(superuser, PERM, record)
