"""Standing groups, networks and task groups: chairing rules, periods, members of member schools."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import Group, GroupMember, Membership
from partnerships.roles import Role
from partnerships.selectors.groups import attach_current_chairs
from partnerships.services.groups import group_set_host
from partnerships.services.roles import role_end
from schools.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import GroupFactory, GroupMemberFactory, MembershipFactory, give_role
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db
D = Person.Position


def chair_of(group):
    with scope(partnership=group.partnership):
        fresh = Group.objects.select_related("chair", "host_school").get(pk=group.pk)
        return attach_current_chairs([fresh])[0].current_chair


def url(tenant, path=""):
    return f"/p/{tenant.slug}/groups/{path}"


@pytest.fixture
def deputies(tenant_a):
    """A deputy headteacher at each of tenant A's two schools."""
    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    return (
        PersonFactory(partnership=p, school=s0, position=D.DEPUTY_HEAD, full_name="Dana Deputy"),
        PersonFactory(partnership=p, school=s1, position=D.DEPUTY_HEAD, full_name="Eric Deputy"),
    )


# --- Chairing rules -----------------------------------------------------------------------------------------


def test_the_deputy_of_the_chairs_school_chairs_and_changes_when_the_chair_changes(tenant_a, deputies, today):
    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    network = GroupFactory(partnership=p, chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL)
    first_chair = give_role(tenant_a.headteacher, p, Role.CHAIR)  # head of s0
    assert chair_of(network).person == deputies[0]
    assert s0.name in chair_of(network).how

    # A new chair, head of the other school, takes over: the network's chair follows "for the chair's period".
    with scopes_disabled():
        role_end(actor=tenant_a.coordinator, assignment=first_chair, end=today - datetime.timedelta(days=1))
        new_head = UserFactory()
        give_role(new_head, p, Role.HEADTEACHER, s1)
        give_role(new_head, p, Role.CHAIR)
    assert chair_of(network).person == deputies[1]
    assert s1.name in chair_of(network).how


def test_on_a_handover_the_newest_chair_counts(tenant_a, deputies, today):
    """An election starts the new chair's role before the old one is ended: the chair in office is the newest."""
    p, s1 = tenant_a.partnership, tenant_a.schools[1]
    network = GroupFactory(partnership=p, chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL)
    give_role(tenant_a.headteacher, p, Role.CHAIR, start=today - datetime.timedelta(days=400))
    new_head = UserFactory()
    give_role(new_head, p, Role.HEADTEACHER, s1)
    give_role(new_head, p, Role.CHAIR, start=today)
    assert chair_of(network).person == deputies[1]


def test_without_a_deputy_at_the_chairs_school_the_page_says_so(tenant_a, client_for):
    p, s0 = tenant_a.partnership, tenant_a.schools[0]
    network = GroupFactory(partnership=p, chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL, name="Deputies")
    give_role(tenant_a.headteacher, p, Role.CHAIR)
    PersonFactory(partnership=p, school=s0, position=D.ASSISTANT_HEAD)  # not a deputy
    chair = chair_of(network)
    assert chair.person is None and chair.problem == f"No deputy recorded for {s0.name}"
    body = client_for(tenant_a.coordinator).get(url(tenant_a)).content.decode()
    assert f"No deputy recorded for {s0.name}" in body


def test_without_a_partnership_chair_the_deputy_rule_finds_nobody(tenant_a, deputies):
    network = GroupFactory(partnership=tenant_a.partnership, chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL)
    assert chair_of(network).person is None
    assert chair_of(network).problem == "No partnership chair recorded"


def test_the_deputy_of_another_partnerships_chairs_school_is_not_used(tenant_a, tenant_b):
    """The same school can be in two partnerships: only this partnership's people count."""
    p, s0 = tenant_a.partnership, tenant_a.schools[0]
    MembershipFactory(partnership=tenant_b.partnership, school=s0)
    PersonFactory(partnership=tenant_b.partnership, school=s0, position=D.DEPUTY_HEAD)
    give_role(tenant_a.headteacher, p, Role.CHAIR)
    network = GroupFactory(partnership=p, chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL)
    assert chair_of(network).person is None


def test_the_host_schools_representative_chairs_and_the_chair_follows_the_host(tenant_a):
    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    eyfs = GroupFactory(partnership=p, chairing=Group.Chairing.HOST_SCHOOL, name="EYFS Network")
    lead0 = PersonFactory(partnership=p, school=s0, position=D.EYFS_LEAD)
    lead1 = PersonFactory(partnership=p, school=s1, position=D.EYFS_LEAD)
    GroupMemberFactory(group=eyfs, person=lead0)
    GroupMemberFactory(group=eyfs, person=lead1)
    assert chair_of(eyfs).problem == "No host school set for the next meeting"
    with scope(partnership=p):
        group_set_host(actor=tenant_a.coordinator, group=eyfs, host_school=s0)
    assert chair_of(eyfs).person == lead0
    with scope(partnership=p):
        group_set_host(actor=tenant_a.coordinator, group=eyfs, host_school=s1)
    assert chair_of(eyfs).person == lead1
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="group.host_set", partnership=p).count() == 2


def test_a_host_school_with_no_member_in_the_group_is_named_as_the_problem(tenant_a):
    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    eyfs = GroupFactory(partnership=p, chairing=Group.Chairing.HOST_SCHOOL, host_school=s1)
    GroupMemberFactory(group=eyfs, person=PersonFactory(partnership=p, school=s0))
    chair = chair_of(eyfs)
    assert chair.person is None
    assert chair.problem == f"No member of the group from {s1.name}, the host school"


def test_a_named_chair_chairs(tenant_a):
    person = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[1])
    group = GroupFactory(task=True, partnership=tenant_a.partnership, chair=person)
    assert chair_of(group).person == person


# --- Setting up groups: periods, rules and bad input ---------------------------------------------------------


def group_data(**changes):
    data = {
        "name": "Transition Task Group",
        "kind": Group.Kind.TASK,
        "remit": "Plan Year 6 to Year 7 transition days",
        "chairing": Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL,
        "chair": "",
        "host_school": "",
        "starts": "2026-09-01",
        "ends": "2027-03-31",
        "reports_to": "The strategic group",
    }
    data.update(changes)
    return data


def test_the_coordinator_sets_up_a_task_group_with_a_period_and_a_reporting_line(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    response = client.post(url(tenant_a, "new/"), group_data())
    with scopes_disabled():
        group = Group.objects.get(partnership=tenant_a.partnership, name="Transition Task Group")
        assert AuditEvent.objects.filter(action="group.created", data__group=group.pk).exists()
    assert response.status_code == 302 and response["Location"] == url(tenant_a, f"{group.pk}/")
    assert (group.kind, group.starts, group.ends) == (
        Group.Kind.TASK,
        datetime.date(2026, 9, 1),
        datetime.date(2027, 3, 31),
    )
    page = client.get(url(tenant_a)).content.decode()
    assert "Transition Task Group" in page and "1 Sep 2026 to 31 Mar 2027" in page and "The strategic group" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends": ""}, "ends", "A task group works for an agreed period: enter the date it ends"),
        ({"ends": "2026-08-31"}, "ends", "The group cannot end before it starts on 1 September 2026"),
        ({"kind": Group.Kind.STANDING, "ends": "2026-08-01"}, "ends", "cannot end before it starts"),
        ({"starts": "2026-02-30"}, "starts", "must be a real date"),
        ({"starts": "not a date"}, "starts", "must be a real date"),
        ({"starts": ""}, "starts", "Enter the date the group starts"),
        ({"name": ""}, "name", "Enter the name of the group"),
        ({"name": "x" * 5000}, "name", "150 characters or fewer"),
        ({"remit": "r" * 6000}, "remit", "5000 characters or fewer"),
        ({"kind": "committee"}, "kind", "using one of the options given"),
        ({"chairing": "whoever"}, "chairing", "using one of the options given"),
        ({"chairing": Group.Chairing.NAMED}, "chair", "Choose the person who chairs the group"),
        ({"chairing": Group.Chairing.NAMED, "chair": "abc"}, "chair", "using one of the options given"),
        ({"chairing": Group.Chairing.NAMED, "chair": "99999999999999999999"}, "chair", "one of the options"),
        ({"host_school": "-1"}, "host_school", "using one of the options given"),
        ({"reports_to": "   "}, "reports_to", "Enter who the group reports to"),
    ],
)
def test_bad_groups_are_refused_next_to_the_field_and_nothing_is_saved(tenant_a, client_for, changes, field, message):
    with scopes_disabled():
        before = Group.objects.count(), AuditEvent.objects.count()
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "new/"), group_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    body = response.content.decode()
    assert "There is a problem" in body and f'href="#id_{field}"' in body and "<title>Error: " in body
    with scopes_disabled():
        assert (Group.objects.count(), AuditEvent.objects.count()) == before


def test_a_standing_group_needs_no_end_date(tenant_a, client_for):
    response = client_for(tenant_a.coordinator).post(
        url(tenant_a, "new/"), group_data(kind=Group.Kind.STANDING, ends="", name="EYFS Network")
    )
    with scopes_disabled():
        group = Group.objects.get(partnership=tenant_a.partnership, name="EYFS Network")
        audit = AuditEvent.objects.get(action="group.created", data__group=group.pk)
    assert response.status_code == 302 and response["Location"] == url(tenant_a, f"{group.pk}/")
    assert (group.kind, group.starts, group.ends) == (Group.Kind.STANDING, datetime.date(2026, 9, 1), None)
    assert (audit.partnership, audit.actor) == (tenant_a.partnership, tenant_a.coordinator)
    assert audit.data == {"group": group.pk, "kind": Group.Kind.STANDING, "chairing": group.chairing}


def test_a_duplicate_group_name_is_refused(tenant_a, client_for):
    GroupFactory(partnership=tenant_a.partnership, name="EYFS Network")
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "new/"), group_data(name="eyfs network"))
    assert response.status_code == 400
    assert "There is already a group called eyfs network" in response.context["form"].errors["name"][0]


def test_a_host_school_or_named_chair_from_a_school_that_has_left_is_refused(tenant_a, client_for, today):
    p, s1 = tenant_a.partnership, tenant_a.schools[1]
    person = PersonFactory(partnership=p, school=s1, full_name="Lena Leaver")
    with scopes_disabled():
        Membership.objects.filter(partnership=p, school=s1).update(left=today - datetime.timedelta(days=1))
    client = client_for(tenant_a.coordinator)
    response = client.post(url(tenant_a, "new/"), group_data(host_school=s1.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["host_school"] == [f"{s1.name} is not a current member of the partnership"]
    response = client.post(url(tenant_a, "new/"), group_data(chairing=Group.Chairing.NAMED, chair=person.pk))
    assert response.context["form"].errors["chair"] == ["Lena Leaver is not at a current member school"]


def test_changing_a_group_keeps_the_period_rule(tenant_a, client_for):
    group = GroupFactory(task=True, partnership=tenant_a.partnership, name="Data Task Group")
    client = client_for(tenant_a.coordinator)
    form = client.get(url(tenant_a, f"{group.pk}/change/"))
    assert form.status_code == 200 and 'value="Data Task Group"' in form.content.decode()
    response = client.post(url(tenant_a, f"{group.pk}/change/"), group_data(name="Data Task Group", ends=""))
    assert response.status_code == 400
    response = client.post(
        url(tenant_a, f"{group.pk}/change/"), group_data(name="Data Task Group", ends="2027-07-20", remit="New remit")
    )
    assert response.status_code == 302
    with scopes_disabled():
        group.refresh_from_db()
    assert (group.ends, group.remit) == (datetime.date(2027, 7, 20), "New remit")


def test_the_host_page_sets_where_the_next_meeting_is(tenant_a, client_for):
    p, s1 = tenant_a.partnership, tenant_a.schools[1]
    group = GroupFactory(partnership=p, chairing=Group.Chairing.HOST_SCHOOL)
    client = client_for(tenant_a.coordinator)
    assert client.get(url(tenant_a, f"{group.pk}/host/")).status_code == 200
    assert client.post(url(tenant_a, f"{group.pk}/host/"), {"host_school": s1.pk}).status_code == 302
    with scopes_disabled():
        group.refresh_from_db()
    assert group.host_school == s1
    bad = client.post(url(tenant_a, f"{group.pk}/host/"), {"host_school": "not-a-school"})
    assert bad.status_code == 400


# --- Members ----------------------------------------------------------------------------------------------


def test_members_are_people_of_current_member_schools(tenant_a, client_for, today):
    p, s0 = tenant_a.partnership, tenant_a.schools[0]
    group = GroupFactory(partnership=p, name="Business Managers Network")
    manager = PersonFactory(partnership=p, school=s0, position=D.BUSINESS_MANAGER, full_name="Bina Manager")
    client = client_for(tenant_a.coordinator)
    add = url(tenant_a, f"{group.pk}/members/add/")
    assert "Bina Manager" in client.get(add).content.decode()
    assert client.post(add, {"person": manager.pk}).status_code == 302

    # Twice: refused, nothing added.
    response = client.post(add, {"person": manager.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        "Bina Manager is already a member of Business Managers Network"
    ]

    # A person of a school that is not (or no longer) a member: refused with the reason.
    outsider_school = MembershipFactory(
        partnership=p, joined=datetime.date(2019, 9, 1), left=today - datetime.timedelta(days=10)
    ).school
    leaver = PersonFactory(partnership=p, school=outsider_school, full_name="Lou Leaver")
    response = client.post(add, {"person": leaver.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        f"Lou Leaver is at {outsider_school.name}, which is not a current member school"
    ]
    assert "Lou Leaver" not in client.get(add).content.decode()  # not even offered

    with scopes_disabled():
        assert list(GroupMember.objects.filter(group=group).values_list("person_id", flat=True)) == [manager.pk]


def test_a_person_of_another_partnership_cannot_be_added(tenant_a, tenant_b, client_for):
    group = GroupFactory(partnership=tenant_a.partnership)
    other = PersonFactory(partnership=tenant_b.partnership, school=tenant_b.schools[0])
    response = client_for(tenant_a.coordinator).post(url(tenant_a, f"{group.pk}/members/add/"), {"person": other.pk})
    assert response.status_code == 400
    assert "using one of the options given" in response.context["form"].errors["person"][0]
    with scopes_disabled():
        assert not GroupMember.objects.filter(group=group).exists()


def test_removing_a_member_asks_first_then_removes(tenant_a, client_for):
    group = GroupFactory(partnership=tenant_a.partnership)
    person = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], full_name="Rita Remove")
    member = GroupMemberFactory(group=group, person=person)
    client = client_for(tenant_a.coordinator)
    confirm = client.get(url(tenant_a, f"members/{member.pk}/remove/"))
    assert confirm.status_code == 200 and "Remove Rita Remove from the group?" in confirm.content.decode()
    assert client.post(url(tenant_a, f"members/{member.pk}/remove/")).status_code == 302
    with scopes_disabled():
        assert not GroupMember.objects.filter(pk=member.pk).exists()
        assert AuditEvent.objects.filter(action="group.member_removed").exists()
    assert client.post(url(tenant_a, f"members/{member.pk}/remove/")).status_code == 404


def test_the_group_page_shows_members_remit_and_chair(tenant_a, client_for, deputies):
    p = tenant_a.partnership
    give_role(tenant_a.headteacher, p, Role.CHAIR)
    network = GroupFactory(
        partnership=p, name="Deputy and Assistant Heads", chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL, remit="Lead"
    )
    for deputy in deputies:
        GroupMemberFactory(group=network, person=deputy)
    body = client_for(tenant_a.headteacher).get(url(tenant_a, f"{network.pk}/")).content.decode()
    assert "Dana Deputy" in body and "Eric Deputy" in body and "Lead" in body
    assert "Add a member" not in body  # a headteacher reads; the coordinator manages
    assert "for the chair&#x27;s period" in body


def test_the_list_separates_standing_current_and_ended_task_groups(tenant_a, client_for, today):
    p = tenant_a.partnership
    GroupFactory(partnership=p, name="EYFS Network")
    GroupFactory(task=True, partnership=p, name="Current Task", ends=today)
    GroupFactory(
        task=True,
        partnership=p,
        name="Old Task",
        starts=datetime.date(2020, 1, 1),
        ends=today - datetime.timedelta(days=1),
    )
    response = client_for(tenant_a.coordinator).get(url(tenant_a))
    assert [g.name for g in response.context["standing"]] == ["EYFS Network"]
    assert [g.name for g in response.context["task_current"]] == ["Current Task"]
    assert [g.name for g in response.context["task_ended"]] == ["Old Task"]


def test_a_schools_groups_for_the_school_page(tenant_a):
    from partnerships.selectors.groups import groups_for_person_ids, groups_for_school

    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    eyfs, bm = GroupFactory(partnership=p, name="EYFS"), GroupFactory(partnership=p, name="Business")
    a, b = PersonFactory(partnership=p, school=s0), PersonFactory(partnership=p, school=s0)
    GroupMemberFactory(group=eyfs, person=a)
    GroupMemberFactory(group=eyfs, person=b)
    GroupMemberFactory(group=bm, person=PersonFactory(partnership=p, school=s1))
    with scope(partnership=p):
        assert [(g.name, g.school_members) for g in groups_for_school(s0)] == [("EYFS", 2)]
        assert {pid: [g.name for g in gs] for pid, gs in groups_for_person_ids([a.pk]).items()} == {a.pk: ["EYFS"]}
