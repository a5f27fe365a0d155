"""One convention for every date range (DESIGN.md "Date ranges"): the end date is the last day in force.

Each test sits on the boundary, so a page or service that kept its own comparison (`end > on`,
`left >= on` without `joined <= on`, ...) grants a day too many or too few and fails here.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.dates import has_ended, in_force, in_force_between_q, in_force_q
from partnerships.models import Group, Membership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.groups import groups_overview
from partnerships.selectors.people import roles_current, roles_history
from partnerships.selectors.permissions import partnership_permissions
from partnerships.selectors.terms import term_containing, term_on_or_after, terms_of_year
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, give_role

D = datetime.date
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "on", "expected"),
    [
        (D(2026, 9, 1), D(2027, 8, 31), D(2026, 9, 1), True),  # the first day
        (D(2026, 9, 1), D(2027, 8, 31), D(2027, 8, 31), True),  # the last day
        (D(2026, 9, 1), D(2027, 8, 31), D(2027, 9, 1), False),  # the day after
        (D(2026, 9, 1), D(2027, 8, 31), D(2026, 8, 31), False),  # the day before
        (D(2026, 9, 1), D(2026, 9, 1), D(2026, 9, 1), True),  # a one-day range
        (D(2026, 9, 1), None, D(2099, 1, 1), True),  # open-ended
    ],
)
def test_in_force_and_its_filter_agree(start, end, on, expected, tenant_a):
    assert in_force(start, end, on) is expected
    assert has_ended(end, on) is (end is not None and on > end)
    with scopes_disabled():
        role = RoleAssignment.objects.create(
            user=UserFactory(), partnership=tenant_a.partnership, role=Role.COORDINATOR, start=start, end=end
        )
        assert RoleAssignment.objects.filter(in_force_q(on), pk=role.pk).exists() is expected
        assert RoleAssignment.objects.filter(pk=role.pk).active(on).exists() is expected
        assert role.is_active(on) is expected
        # In force on some day of a span that ends on `on` or starts on it.
        assert RoleAssignment.objects.filter(in_force_between_q(on, on + DAY * 30), pk=role.pk).exists() is (
            expected or in_force(start, end, on + DAY * 30) or (on < start <= on + DAY * 30)
        )


def test_a_role_is_in_force_on_its_end_date_and_not_the_day_after(tenant_a, today):
    user = UserFactory()
    with scopes_disabled():
        give_role(user, tenant_a.partnership, Role.COORDINATOR, end=today)
    p = tenant_a.partnership
    assert "manage_people" in partnership_permissions(user, p, on=today)
    assert partnership_permissions(user, p, on=today + DAY) == set()
    with scope(partnership=p):
        assert user.pk in {r.user_id for r in roles_current()}  # the people page's current roles
        assert user.pk not in {r.user_id for r in roles_history()}  # ... and not yet among the ended
    # A signed-in user whose last day is today still gets in; the people page calls it their last day.
    client = Client()
    client.force_login(user)
    response = client.get(reverse("partnerships:people", args=[p.slug]))
    assert response.status_code == 200
    assert "Last day" in response.content.decode()


def test_a_role_that_ended_yesterday_is_history(tenant_a, today):
    user = UserFactory()
    with scopes_disabled():
        give_role(user, tenant_a.partnership, Role.COORDINATOR, end=today - DAY)
    with scope(partnership=tenant_a.partnership):
        assert user.pk not in {r.user_id for r in roles_current()}
        assert user.pk in {r.user_id for r in roles_history()}
    client = Client()
    client.force_login(user)
    assert client.get(reverse("partnerships:dashboard", args=[tenant_a.slug])).status_code == 404


def test_the_end_role_form_takes_the_last_day(tenant_a, today):
    client = Client()
    client.force_login(tenant_a.coordinator)
    url = reverse("partnerships:role_end", args=[tenant_a.slug, tenant_a.role.pk])
    response = client.post(url, {"end": today.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        tenant_a.role.refresh_from_db()
    assert tenant_a.role.end == today
    assert tenant_a.role.is_active(today) and not tenant_a.role.is_active(today + DAY)
    # The headteacher can still open the partnership on their last day.
    head = Client()
    head.force_login(tenant_a.headteacher)
    assert head.get(reverse("partnerships:dashboard", args=[tenant_a.slug])).status_code == 200


def test_a_membership_is_current_on_its_last_day_and_not_the_day_after(tenant_a, today):
    with scopes_disabled():
        membership = MembershipFactory(partnership=tenant_a.partnership, joined=today - DAY * 100, left=today)
    with scope(partnership=tenant_a.partnership):
        assert Membership.objects.current(today).filter(pk=membership.pk).exists()
        assert not Membership.objects.current(today + DAY).filter(pk=membership.pk).exists()
    assert membership.is_current(today) and not membership.is_current(today + DAY)
    assert (membership.status(today), membership.status(today + DAY)) == ("leaving", "left")


def test_a_membership_starts_on_the_day_it_joins(tenant_a, today):
    with scopes_disabled():
        membership = MembershipFactory(partnership=tenant_a.partnership, joined=today + DAY)
    with scope(partnership=tenant_a.partnership):
        assert not Membership.objects.current(today).filter(pk=membership.pk).exists()
        assert Membership.objects.current(today + DAY).filter(pk=membership.pk).exists()
    assert membership.status(today) == "joining"
    assert membership.status(today + DAY) == "active"


def test_a_term_includes_its_last_day(tenant_a):
    autumn = terms_of_year(tenant_a.partnership, 2026)[0]
    assert term_containing(tenant_a.partnership, autumn.ends) == autumn
    assert term_on_or_after(tenant_a.partnership, autumn.ends) == autumn
    assert term_containing(tenant_a.partnership, autumn.ends + DAY) is None  # the Christmas holiday


def test_a_task_group_runs_until_the_end_of_its_last_day(tenant_a, today):
    with scopes_disabled():
        group = Group.objects.create(
            partnership=tenant_a.partnership, kind=Group.Kind.TASK, name="Transition", starts=today - DAY, ends=today
        )
    with scope(partnership=tenant_a.partnership):
        assert group.pk in {g.pk for g in groups_overview(today)["task_current"]}
        assert group.pk in {g.pk for g in groups_overview(today + DAY)["task_ended"]}
