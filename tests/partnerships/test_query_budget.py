import pytest

from accounts.models import Invitation
from core.testing import assert_constant_queries
from partnerships.models import Membership, RoleAssignment
from partnerships.roles import Role
from schools.models import School
from tests.factories.accounts import UserFactory


def _grow(tenant, schools=200, people=300):
    """A 200-school partnership with hundreds of roles, built in bulk."""
    created = School.objects.bulk_create(
        School(urn=500000 + i, name=f"Big School {i:03}", phase="primary") for i in range(schools)
    )
    Membership.objects.bulk_create(
        Membership(partnership=tenant.partnership, school=s, joined="2020-09-01") for s in created
    )
    users = [UserFactory.build(email=f"bulk{i}@example.org", full_name=f"Bulk {i}") for i in range(people)]
    for user in users:
        user.password = "!"
    from accounts.models import User

    users = User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=u,
            partnership=tenant.partnership,
            role=Role.HEADTEACHER,
            school=created[i % schools],
            start="2024-09-01",
        )
        for i, u in enumerate(users)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=u,
            partnership=tenant.partnership,
            role=Role.GOVERNOR,
            school=created[i % schools],
            start="2022-09-01",
            end="2024-08-31",
        )
        for i, u in enumerate(users)
    )
    Invitation.objects.bulk_create(
        Invitation(
            partnership=tenant.partnership,
            email=f"inv{i}@example.org",
            full_name=f"Inv {i}",
            role=Role.GOVERNOR,
            school=created[i],
            invited_by=tenant.coordinator,
            expires_at="2099-01-01T00:00:00Z",
        )
        for i in range(50)
    )


# Budgets: session + user (2), tenant resolution: partnership (1), roles (1, which give the permissions
# too), then the page's own reads. The dashboard, rendered afresh, reads its partnership again after the
# data version (core.freshness) so that it never keeps a partnership older than that version. The counts
# are asserted equal on small and large fixtures; the ceilings below catch a page creeping up. The
# dashboard's meetings panels add five: the next meetings, unanswered invitations, overdue actions, and
# (for the chair and coordinator) the constitution and recent meetings behind the absences to follow up;
# finance's warning of overdue contributions one more; the agreement in force one (its published
# versions). The "Needs you now" list adds the coordinator's five: the next meeting, its answers counted,
# overdue actions counted, the register of declarations (two). "At a glance" adds one query per chart:
# the year's attendance heat map (meetings joined to their attendance), budget against spending (lines
# with their sums) and credits used and left (subscriptions with theirs); a headteacher's credits chart
# is paid for by their credits left, read in one query instead of two. The reports not yet generated add
# four: the terms, last term's run, last year's annual report and its members.
PAGES = [
    ("", 26),
    ("people/", 10),
    ("people/?show=history", 10),
    ("people/?page=3", 10),
    ("activity/", 8),
    ("activity/?area=people&text=a&since=2000-01-01&until=2100-01-01", 8),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "budget"), PAGES)
def test_pages_run_a_constant_number_of_queries(tenant_a, client_for, path, budget):
    client = client_for(tenant_a.coordinator)
    assert_constant_queries(client, f"/p/{tenant_a.slug}/{path}", grow=lambda: _grow(tenant_a), at_most=budget)


@pytest.mark.django_db
def test_the_large_dashboard_summarises_the_members_and_lists_only_those_leaving(tenant_a, client_for):
    import datetime

    from django.utils import timezone
    from django_scopes import scopes_disabled

    with scopes_disabled():
        _grow(tenant_a)
        Membership.objects.filter(school__name="Big School 007").update(
            left=timezone.localdate() + datetime.timedelta(days=40)
        )
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/").content.decode()
    assert "202 schools" in body and "See every member school" in body
    assert "Big School 007" in body and "Big School 000" not in body  # a summary, not the directory


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["headteacher", "adviser", "governor", "chair"])
def test_each_roles_dashboard_runs_a_constant_number_of_queries(tenant_a, client_for, role):
    from django_scopes import scopes_disabled

    from tests.factories.partnerships import give_role
    from tests.factories.subscriptions import subscribed
    from tests.factories.visits import review_in

    with scopes_disabled():
        if role == "headteacher":
            user = tenant_a.headteacher
        else:
            user = UserFactory(full_name=f"Dashboard {role}")
            school = tenant_a.schools[0] if role in ("adviser", "governor") else None
            give_role(user, tenant_a.partnership, Role(role), school)

    def grow():
        _grow(tenant_a)
        for term in ("spring", "summer"):
            review_in(tenant_a, "returned" if role == "adviser" else "sent", term=term, adviser=adviser)

    with scopes_disabled():
        adviser = user if role == "adviser" else UserFactory(full_name="Other adviser")
        if role != "adviser":
            give_role(adviser, tenant_a.partnership, Role.ADVISER, tenant_a.schools[0])
        # Something of each kind from the start, so that what grows is the amount, not the kinds.
        subscribed(tenant_a)
        review_in(tenant_a, "returned" if role == "adviser" else "sent", term="autumn", adviser=adviser)
    assert_constant_queries(client_for(user), f"/p/{tenant_a.slug}/", grow=grow, at_most=20)
