"""The members directory and the school page: who sees what, search, filters, status, constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.models import Membership, RoleAssignment
from partnerships.roles import Role
from schools.models import Budget, Census, Person, School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, give_role
from tests.factories.schools import BudgetFactory, CensusFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def directory(client, tenant, query=""):
    return client.get(f"/p/{tenant.slug}/members/{query}")


@pytest.fixture
def statuses(tenant_a, today):
    """A school of each status, besides tenant_a's two active ones."""
    with scopes_disabled():
        p = tenant_a.partnership
        leaving = MembershipFactory(
            partnership=p,
            school=SchoolFactory(name="Leaving Secondary", phase="secondary", urn=700001),
            left=datetime.date(2027, 8, 31),
        )
        left = MembershipFactory(
            partnership=p,
            school=SchoolFactory(name="Gone Infant School", phase="infant", urn=700002),
            left=datetime.date(2024, 8, 31),
        )
        last_day = MembershipFactory(
            partnership=p, school=SchoolFactory(name="Last Day Junior", phase="junior", urn=700003), left=today
        )
    return leaving, left, last_day


def test_the_directory_lists_every_school_that_has_been_a_member_with_its_status(
    tenant_a, tenant_b, client_for, statuses
):
    response = directory(client_for(tenant_a.headteacher), tenant_a)
    assert response.status_code == 200
    body = response.content.decode()
    for school in tenant_a.schools:
        assert school.name in body
    assert tenant_b.schools[0].name not in body
    assert "Leaving on 31 August 2027" in body
    assert 'govuk-tag--grey">Left</strong>' in body
    assert body.count('govuk-tag--green">Active</strong>') == 2
    # Leaving today: still a member today, so leaving, not left.
    assert f"Leaving on {statuses[2].left:%-d %B %Y}" in body
    assert "5 schools" in body


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?status=active", ["School"], ["Leaving Secondary", "Gone Infant", "Last Day Junior"]),
        ("?status=leaving", ["Leaving Secondary", "Last Day Junior"], ["Gone Infant"]),
        ("?status=left", ["Gone Infant"], ["Leaving Secondary", "Last Day Junior"]),
        ("?phase=secondary", ["Leaving Secondary"], ["Gone Infant", "Last Day Junior"]),
        ("?phase=infant&status=left", ["Gone Infant"], ["Leaving Secondary"]),
        ("?q=gone", ["Gone Infant"], ["Leaving Secondary"]),
        ("?q=%20%20GONE%20%20infant%20", ["Gone Infant"], ["Leaving Secondary"]),
        ("?q=700001", ["Leaving Secondary"], ["Gone Infant"]),
        ("?q=nothing+like+this", [], ["Leaving Secondary", "Gone Infant"]),
    ],
)
def test_search_and_filters(tenant_a, client_for, statuses, query, shown, hidden):
    response = directory(client_for(tenant_a.coordinator), tenant_a, query)
    assert response.status_code == 200
    names = [m.school.name for m in response.context["page_obj"]]
    for name in shown:
        assert any(name in n for n in names), (name, names)
    for name in hidden:
        assert not any(name in n for n in names), (name, names)
    if not shown:
        assert "No schools match your search." in response.content.decode()


def test_active_filter_shows_only_schools_without_a_leaving_date(tenant_a, client_for, statuses):
    response = directory(client_for(tenant_a.coordinator), tenant_a, "?status=active")
    assert {m.school for m in response.context["page_obj"]} == set(tenant_a.schools)


@pytest.mark.parametrize(
    "query",
    [
        "?phase=emperor",
        "?status=gone",
        "?q=" + "x" * 101,
        "?page=abc",
        "?page=9999",
        "?q=1" + "0" * 40,
        "?phase=&status=",
    ],
)
def test_odd_filter_values_never_fail(tenant_a, client_for, query):
    response = directory(client_for(tenant_a.coordinator), tenant_a, query)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        body = response.content.decode()
        assert "There is a problem" in body and "<title>Error: " in body


def test_a_school_that_rejoined_is_listed_once_with_its_latest_membership(tenant_a, client_for):
    school = tenant_a.schools[0]
    with scopes_disabled():
        Membership.objects.filter(school=school, partnership=tenant_a.partnership).update(
            left=datetime.date(2021, 8, 31)
        )
        Membership.objects.create(partnership=tenant_a.partnership, school=school, joined=datetime.date(2023, 9, 1))
    rows = list(directory(client_for(tenant_a.coordinator), tenant_a).context["page_obj"])
    assert [m.school for m in rows].count(school) == 1
    assert next(m for m in rows if m.school == school).status() == "active"


def test_the_directory_paginates_by_50_and_keeps_the_filters(tenant_a, client_for):
    with scopes_disabled():
        schools = School.objects.bulk_create(
            School(urn=600000 + i, name=f"Bulk {i:03}", phase="primary") for i in range(120)
        )
        Membership.objects.bulk_create(
            Membership(partnership=tenant_a.partnership, school=s, joined="2020-09-01") for s in schools
        )
    client = client_for(tenant_a.coordinator)
    response = directory(client, tenant_a, "?q=bulk&phase=primary")
    assert len(response.context["page_obj"]) == 50
    body = response.content.decode()
    assert 'href="?q=bulk&amp;phase=primary&amp;page=2"' in body
    assert "govuk-pagination" in body and 'aria-current="page"' in body
    last = directory(client, tenant_a, "?q=bulk&phase=primary&page=3")
    assert len(last.context["page_obj"]) == 20


def test_the_directory_shows_import_buttons_only_to_coordinators(tenant_a, client_for):
    assert "Import schools from GIAS" in directory(client_for(tenant_a.coordinator), tenant_a).content.decode()
    assert "Import schools from GIAS" not in directory(client_for(tenant_a.headteacher), tenant_a).content.decode()


# --- the school page ------------------------------------------------------------------------------


def school_url(tenant, school, suffix=""):
    return f"/p/{tenant.slug}/members/{school.urn}/{suffix}"


def test_the_school_page_shows_the_register_membership_people_roles_and_figures(tenant_a, client_for):
    school = tenant_a.schools[0]
    with scopes_disabled():
        School.objects.filter(pk=school.pk).update(
            religious_character="Church of England", street="Church Lane", town="Exeter", postcode="EX1 2AB"
        )
        PersonFactory(partnership=tenant_a.partnership, school=school, full_name="Sam Deputy", position="deputy_head")
        PersonFactory(
            partnership=tenant_a.partnership,
            school=school,
            full_name=tenant_a.headteacher.full_name,
            position="headteacher",
            user=tenant_a.headteacher,
        )
        CensusFactory(school=school, year=2026, headcount=210, fte=Decimal("196.5"))
        BudgetFactory(school=school, financial_year=2026, amount=Decimal("1234567.89"))
    response = client_for(tenant_a.coordinator).get(school_url(tenant_a, school))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        school.name,
        f"URN {school.urn}",
        "Community school",
        "Church of England",
        "Devon",
        "Church Lane",
        "EX1 2AB",
        "Sam Deputy",
        "Deputy headteacher",
        "Has an account",
        "January 2026",
        "196.5",
        "£1,234,567.89",
        "2026-27",
        'govuk-tag--green">Active</strong>',
    ):
        assert text in body, text
    # Roles held for this school in this partnership.
    assert response.context["roles"] == [tenant_a.role]
    assert tenant_a.headteacher.full_name in body
    # People are listed by position: headteacher first.
    people = [p.position for p, _ in response.context["people"]]
    assert people == ["headteacher", "deputy_head"]


def test_the_invite_link_opens_the_invite_page_prefilled(tenant_a, client_for):
    school = tenant_a.schools[0]
    with scopes_disabled():
        PersonFactory(
            partnership=tenant_a.partnership,
            school=school,
            full_name="Gita Governor",
            email="gita@school.example",
            position="governor",
        )
    client = client_for(tenant_a.coordinator)
    ((person, invite_url),) = client.get(school_url(tenant_a, school)).context["people"]
    assert invite_url.startswith(f"/p/{tenant_a.slug}/people/invite/?")
    invite = client.get(invite_url)
    assert invite.status_code == 200
    form = invite.context["form"]
    assert form.initial == {
        "full_name": "Gita Governor",
        "email": "gita@school.example",
        "role": "governor",
        "school": str(school.pk),
    }
    assert 'value="gita@school.example"' in invite.content.decode()


def test_the_invite_link_is_only_for_those_who_may_invite_and_only_for_current_members(tenant_a, client_for, statuses):
    _, left, _ = statuses
    with scopes_disabled():
        PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], full_name="Someone")
        PersonFactory(partnership=tenant_a.partnership, school=left.school, full_name="Left Person")
    head = client_for(tenant_a.headteacher).get(school_url(tenant_a, tenant_a.schools[0]))
    assert "Invite to Commonroom" not in head.content.decode()
    assert "Add a person" in head.content.decode()  # their own school's people are theirs to keep
    other = client_for(tenant_a.headteacher).get(school_url(tenant_a, tenant_a.schools[1]))
    assert "Add a person" not in other.content.decode()
    gone = client_for(tenant_a.coordinator).get(school_url(tenant_a, left.school))
    assert "Invite to Commonroom" not in gone.content.decode()
    assert 'govuk-tag--grey">Left</strong>' in gone.content.decode()


def test_the_school_page_is_404_for_a_school_that_was_never_a_member(tenant_a, tenant_b, client_for):
    client = client_for(tenant_a.coordinator)
    stranger = SchoolFactory()
    assert client.get(school_url(tenant_a, stranger)).status_code == 404
    assert client.get(school_url(tenant_a, tenant_b.schools[0])).status_code == 404
    assert client.get(f"/p/{tenant_a.slug}/members/99999999999999999999/").status_code == 404


def test_people_of_the_same_school_in_another_partnership_are_not_shown(tenant_a, tenant_b, client_for):
    shared = tenant_a.schools[0]
    with scopes_disabled():
        MembershipFactory(partnership=tenant_b.partnership, school=shared)
        PersonFactory(partnership=tenant_b.partnership, school=shared, full_name="Beta Only Person")
        give_role(UserFactory(full_name="Beta Only Head"), tenant_b.partnership, Role.HEADTEACHER, shared)
    body = client_for(tenant_a.coordinator).get(school_url(tenant_a, shared)).content.decode()
    assert "Beta Only Person" not in body and "Beta Only Head" not in body


def test_the_school_page_has_hooks_for_groups_and_development_areas():
    from django.template.loader import get_template

    source = get_template("schools/school.html").template.source
    assert '{% include "schools/_school_groups.html" %}' in source
    assert '{% include "schools/_school_areas.html" %}' in source


# --- query budgets ---------------------------------------------------------------------------------


def _grow(tenant, schools=200):
    """A 200-school partnership: memberships of every status, people, roles and figures for each school."""
    created = School.objects.bulk_create(
        School(urn=500000 + i, name=f"Big School {i:03}", phase="primary" if i % 3 else "secondary")
        for i in range(schools)
    )
    Membership.objects.bulk_create(
        Membership(
            partnership=tenant.partnership,
            school=s,
            joined="2020-09-01",
            left=[None, datetime.date(2099, 8, 31), datetime.date(2021, 8, 31)][i % 3],
        )
        for i, s in enumerate(created)
    )
    target = tenant.schools[0]
    Person.objects.bulk_create(
        Person(partnership=tenant.partnership, school=target, full_name=f"Person {i}", position=Person.Position.TEACHER)
        for i in range(150)
    )
    Census.objects.bulk_create(Census(school=target, year=2000 + i, headcount=200, fte=190) for i in range(20))
    Budget.objects.bulk_create(Budget(school=target, financial_year=2000 + i, amount=1) for i in range(20))
    users = [UserFactory.build(email=f"bulk{i}@example.org", full_name=f"Bulk {i}", password="!") for i in range(60)]
    from accounts.models import User

    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, partnership=tenant.partnership, role=Role.GOVERNOR, school=target, start="2024-09-01")
        for u in User.objects.bulk_create(users)
    )


# Session + user (2), partnership (1), roles (1, which give the permissions too), then the page's own reads:
# directory: count + page (2); school page: school, memberships, people, roles, censuses, budgets (6);
# census form: school, that year's census (2).
PAGES = [("members/", 6), ("members/?q=school&phase=primary&status=active", 6), ("members/?page=3", 6)]


@pytest.mark.parametrize(("path", "budget"), PAGES)
def test_the_directory_runs_a_constant_number_of_queries(tenant_a, client_for, path, budget):
    assert_constant_queries(
        client_for(tenant_a.coordinator), f"/p/{tenant_a.slug}/{path}", grow=lambda: _grow(tenant_a), at_most=budget
    )


@pytest.mark.parametrize("who", ["coordinator", "headteacher"])
def test_the_school_page_runs_a_constant_number_of_queries(tenant_a, client_for, who):
    url = school_url(tenant_a, tenant_a.schools[0])
    # 14: the school, the constitution (who may see its private records), its people, roles and figures;
    # one each for its groups and development areas; the meetings panel's recent partnership meetings
    # (whether the school missed them in a row).
    assert_constant_queries(client_for(getattr(tenant_a, who)), url, grow=lambda: _grow(tenant_a), at_most=14)


def test_the_school_page_shows_its_groups_and_development_areas(tenant_a, client_for):
    from django_scopes import scopes_disabled

    from partnerships.calendar import academic_year_of
    from partnerships.models import AreaParticipation, DevelopmentArea, Group, GroupMember
    from schools.models import Person

    school = tenant_a.schools[0]
    with scopes_disabled():
        person = Person.objects.create(
            partnership=tenant_a.partnership, school=school, full_name="Gita Lead", position="deputy_head"
        )
        group = Group.objects.create(
            partnership=tenant_a.partnership, kind="standing", name="Deputies Network", starts="2024-09-01"
        )
        GroupMember.objects.create(group=group, person=person)
        area = DevelopmentArea.objects.create(
            partnership=tenant_a.partnership, academic_year=academic_year_of(timezone.localdate()), name="Numeracy"
        )
        AreaParticipation.objects.create(area=area, school=school, lead=person)
    body = client_for(tenant_a.headteacher).get(school_url(tenant_a, school)).content.decode()
    assert "Deputies Network" in body and "Numeracy" in body and "Gita Lead" in body


@pytest.mark.parametrize("suffix", ["census/", "budget/?year=2010", "people/add/"])
def test_the_figures_and_people_forms_run_a_constant_number_of_queries(tenant_a, client_for, suffix):
    url = school_url(tenant_a, tenant_a.schools[0], suffix)
    # 7: session, user, partnership, roles, the school, the constitution (who may see the school's
    # records), and the form's own read.
    assert_constant_queries(client_for(tenant_a.coordinator), url, grow=lambda: _grow(tenant_a), at_most=7)


def test_local_authority_observers_see_the_school_but_not_its_people(tenant_a, client_for):
    school = tenant_a.schools[0]
    with scopes_disabled():
        PersonFactory(partnership=tenant_a.partnership, school=school, full_name="Private Person", email="p@x.example")
    observer = UserFactory()
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    body = client_for(observer).get(school_url(tenant_a, school)).content.decode()
    assert school.name in body and "About the school" in body
    assert "Private Person" not in body and "p@x.example" not in body
    assert tenant_a.headteacher.full_name not in body
    head = client_for(tenant_a.headteacher).get(school_url(tenant_a, school)).content.decode()
    assert "Private Person" in head
