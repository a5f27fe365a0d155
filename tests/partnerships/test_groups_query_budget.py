"""Groups, development areas and the register of interests run a constant number of queries on a
200-school partnership (5 areas, every school in each, hundreds of people, members and declarations)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from core.testing import assert_constant_queries
from partnerships.calendar import academic_year_of
from partnerships.models import (
    AreaParticipation,
    Constitution,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Group,
    GroupMember,
    Interest,
    InterestDeclaration,
    Membership,
    RoleAssignment,
)
from partnerships.roles import Role
from schools.models import Person, School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import AreaParticipationFactory, GroupFactory, give_role
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db
P = Person.Position
YEAR = academic_year_of(timezone.localdate())


@pytest.fixture
def small(tenant_a):
    """One group of each chairing rule and one area, with a member or school each, before growing."""
    p, s0 = tenant_a.partnership, tenant_a.schools[0]
    give_role(tenant_a.headteacher, p, Role.CHAIR)
    Constitution.objects.filter(partnership=p).update(development_area_minimum=3, development_area_target=5)
    deputy = PersonFactory(partnership=p, school=s0, position=P.DEPUTY_HEAD)
    head = PersonFactory(partnership=p, school=s0, position=P.HEADTEACHER)
    groups = [
        GroupFactory(partnership=p, name="Deputies", chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL),
        GroupFactory(partnership=p, name="EYFS", chairing=Group.Chairing.HOST_SCHOOL, host_school=s0),
        GroupFactory(task=True, partnership=p, name="Task", chair=deputy),
    ]
    for group in groups:
        GroupMember.objects.create(group=group, person=deputy)
    area = DevelopmentArea.objects.create(partnership=p, academic_year=YEAR, name="Literacy", coordinator=head)
    AreaParticipationFactory(area=area, school=s0, lead=deputy)
    declaration = InterestDeclaration.objects.create(partnership=p, user=tenant_a.coordinator)
    Interest.objects.create(declaration=declaration, kind="other", description="Trustee")
    return {"group": groups[0], "area": area}


def _grow(tenant, area, schools=200):
    p = tenant.partnership
    created = School.objects.bulk_create(
        School(urn=600000 + i, name=f"Big School {i:03}", phase="primary") for i in range(schools)
    )
    Membership.objects.bulk_create(Membership(partnership=p, school=s, joined="2020-09-01") for s in created)
    people = Person.objects.bulk_create(
        Person(partnership=p, school=s, position=position, full_name=f"{position} {s.name}")
        for s in created
        for position in (P.HEADTEACHER, P.DEPUTY_HEAD, P.EYFS_LEAD)
    )
    deputies = [person for person in people if person.position == P.DEPUTY_HEAD]
    eyfs = [person for person in people if person.position == P.EYFS_LEAD]
    groups = {g.name: g for g in Group.objects.filter(partnership=p)}
    GroupMember.objects.bulk_create(GroupMember(group=groups["Deputies"], person=d) for d in deputies)
    GroupMember.objects.bulk_create(GroupMember(group=groups["EYFS"], person=e) for e in eyfs)
    GroupMember.objects.bulk_create(GroupMember(group=groups["Task"], person=d) for d in deputies[:50])
    for i in range(20):
        Group.objects.create(
            partnership=p,
            kind=Group.Kind.TASK,
            name=f"Task {i}",
            starts="2020-01-01",
            ends="2021-01-01",
            chair=deputies[i],
        )
    areas = [area] + [
        DevelopmentArea.objects.create(partnership=p, academic_year=YEAR, name=f"Area {i}", coordinator=people[3 * i])
        for i in range(4)
    ]
    AreaParticipation.objects.bulk_create(
        AreaParticipation(area=a, school=s, lead=deputies[j]) for a in areas for j, s in enumerate(created)
    )
    for a in areas:
        DevelopmentAction.objects.bulk_create(
            DevelopmentAction(
                area=a, description=f"Action {i}", owner=deputies[i], status="done" if i % 2 else "planned"
            )
            for i in range(30)
        )
        DevelopmentMilestone.objects.bulk_create(
            DevelopmentMilestone(area=a, description=f"Milestone {i}", due="2027-01-01") for i in range(10)
        )
    users = [UserFactory.build(email=f"bulkg{i}@example.org", full_name=f"Bulk {i}") for i in range(300)]
    for user in users:
        user.password = "!"
    users = User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, partnership=p, role=Role.GOVERNOR, school=created[i % schools], start="2024-09-01")
        for i, u in enumerate(users)
    )
    today = timezone.localdate()
    declarations = InterestDeclaration.objects.bulk_create(
        InterestDeclaration(
            partnership=p, user=u, nothing_to_declare=i % 2 == 0, declared_on=today - datetime.timedelta(days=i * 2)
        )
        for i, u in enumerate(users[:250])
    )
    Interest.objects.bulk_create(
        Interest(declaration=d, kind="pecuniary", description=f"Interest {i}")
        for i, d in enumerate(declarations)
        if not d.nothing_to_declare
    )


# Budgets: session + user (2), tenant resolution: partnership (1), the account bar's roles (1, which give the
# permissions too), then the page's own reads, asserted equal on the small and the large partnership.
PAGES = [
    ("groups/", 9),  # groups with member counts, the chair and their school (2), its deputy, host representatives
    ("groups/{group}/", 10),  # group, the chair and their school (2), deputy, current member schools, members
    ("groups/{group}/members/add/", 7),  # group, its members, people of current member schools
    ("development/", 7),  # years, areas with counts, constitution
    ("development/participation/", 9),  # constitution, members, areas, participations with leads, years
    ("development/{area}/", 8),  # area, actions, milestones, participations
    ("development/{area}/schools/add/", 8),  # area, schools taking part, member schools, people offered
    ("interests/register/", 7),  # declaring roles, latest declarations, their interests
    ("interests/register/remind/", 8),  # the same, and today's reminders from the audit log
    ("interests/", 6),  # one's own declarations and their interests
    # The lists' downloads read what their pages read, and no more.
    ("groups/{group}/export.xlsx", 10),  # the group page's reads
    ("groups/export.xlsx", 9),  # groups with member counts and chairs, the chair's school (2), deputy, hosts
    ("development/export.csv", 5),  # areas with counts
    ("development/participation/export.xlsx", 8),  # constitution, members, areas, participations with leads
    ("interests/register/export.xlsx", 7),  # declaring roles, latest declarations, their interests
]


@pytest.mark.parametrize(("path", "budget"), PAGES)
def test_pages_run_a_constant_number_of_queries(tenant_a, small, client_for, path, budget):
    client = client_for(tenant_a.coordinator)
    page = path.format(group=small["group"].pk, area=small["area"].pk)
    assert_constant_queries(
        client, f"/p/{tenant_a.slug}/{page}", grow=lambda: _grow(tenant_a, small["area"]), at_most=budget
    )


def test_the_large_participation_page_lists_every_school_and_area(tenant_a, small, client_for):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        _grow(tenant_a, small["area"])
    response = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/development/participation/")
    year = response.context["year_participation"]
    assert len(year.schools) == 202 and len(year.areas) == 5
    assert {row.count for row in year.schools if row.school.name.startswith("Big")} == {5}
    # Tenant A's own two schools take part in one area and none: below the minimum of 3.
    assert {row.school: row.count for row in year.below_minimum} == {tenant_a.schools[0]: 1, tenant_a.schools[1]: 0}


def test_the_large_participation_download_holds_every_school_with_counts_as_numbers(tenant_a, small, client_for):
    from django_scopes import scopes_disabled

    from tests.downloads import xlsx_rows

    with scopes_disabled():
        _grow(tenant_a, small["area"])
    url = f"/p/{tenant_a.slug}/development/participation/export.xlsx"
    sheet = xlsx_rows(client_for(tenant_a.coordinator).get(url, {"year": YEAR}))
    assert sheet[0] == ("School", "Areas, with the school's lead", "Number", "Below the minimum")
    assert len(sheet) == 203
    big = [row for row in sheet[1:] if row[0].startswith("Big")]
    assert {row[2] for row in big} == {5} and {row[3] for row in big} == {"No"}
    assert big[0][1].splitlines()[0].startswith("Area 0: ")
    own = {row[0]: row[2:] for row in sheet[1:] if not row[0].startswith("Big")}
    assert own == {tenant_a.schools[0].name: (1, "Yes"), tenant_a.schools[1].name: (0, "Yes")}
