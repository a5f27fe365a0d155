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
# too), then the page's own reads. The counts are asserted equal on small and large fixtures; the ceilings
# below catch a page creeping up. The dashboard's meetings panels add five: the next meetings, unanswered
# invitations, overdue actions, and (for the chair and coordinator) the constitution and recent meetings
# behind the absences to follow up; finance's warning of overdue contributions one more; the agreement in
# force one (its published versions).
PAGES = [
    ("", 15),
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
def test_the_large_dashboard_lists_every_member(tenant_a, client_for):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        _grow(tenant_a)
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/").content.decode()
    assert "Big School 000" in body and "Big School 199" in body
    assert "202 schools" in body
