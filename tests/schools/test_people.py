"""People of a school: the partnership's own list of staff and governors, added, changed and removed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import Group, GroupMember
from partnerships.services.members import people_link_user, person_create, person_remove, person_update
from schools.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db


def _people():
    with scopes_disabled():
        return sorted(Person.objects.values_list("full_name", "position"))


def test_a_person_is_added_changed_and_removed_with_an_audit_trail(tenant_a):
    p, school = tenant_a.partnership, tenant_a.schools[0]
    person = person_create(
        actor=tenant_a.coordinator,
        partnership=p,
        school=school,
        full_name="  Priya   Patel ",
        email=" Priya@School.Example ",
        position="senco",
    )
    assert (person.full_name, person.email, person.user) == ("Priya Patel", "priya@school.example", None)
    person_update(actor=tenant_a.coordinator, person=person, full_name="Priya Patel", email="", position="deputy_head")
    person.refresh_from_db()
    assert (person.email, person.position) == ("", "deputy_head")
    person_remove(actor=tenant_a.coordinator, person=person)
    assert _people() == []
    with scopes_disabled():
        actions = list(AuditEvent.objects.filter(action__startswith="schools.person").values_list("action", flat=True))
    assert sorted(actions) == ["schools.person_added", "schools.person_changed", "schools.person_removed"]


def test_a_person_is_linked_to_the_account_of_someone_with_a_role_here(tenant_a, tenant_b):
    p, school = tenant_a.partnership, tenant_a.schools[0]
    head = person_create(
        actor=None,
        partnership=p,
        school=school,
        full_name="Head",
        email=tenant_a.headteacher.email.upper(),
        position="headteacher",
    )
    assert head.user == tenant_a.headteacher
    # Someone with an account but no role in this partnership is not linked (nor revealed).
    other = person_create(
        actor=None,
        partnership=p,
        school=school,
        full_name="Other",
        email=tenant_b.headteacher.email,
        position="teacher",
    )
    assert other.user is None
    person_update(actor=None, person=head, full_name="Head", email="new@school.example", position="headteacher")
    head.refresh_from_db()
    assert head.user is None


def test_people_link_user_links_unlinked_records_of_that_partnership_only(tenant_a, tenant_b):
    user = UserFactory(email="gita@school.example")
    with scopes_disabled():
        mine = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], email="GITA@school.example")
        theirs = PersonFactory(
            partnership=tenant_b.partnership, school=tenant_b.schools[0], email="gita@school.example"
        )
    assert people_link_user(actor=user, user=user, partnership=tenant_a.partnership) == 1
    with scopes_disabled():
        mine.refresh_from_db()
        theirs.refresh_from_db()
    assert (mine.user, theirs.user) == (user, None)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"full_name": "   "}, "full_name", "Enter the person's full name"),
        ({"full_name": "x" * 151}, "full_name", "150 characters or fewer"),
        ({"position": "emperor"}, "position", "Choose a position"),
        ({"email": "a" * 250 + "@x.example"}, "email", "254 characters"),
    ],
)
def test_bad_people_are_refused(tenant_a, kwargs, field, message):
    values = {"full_name": "Sam", "email": "", "position": "teacher"} | kwargs
    with pytest.raises(ValidationError) as error:
        person_create(actor=None, partnership=tenant_a.partnership, school=tenant_a.schools[0], **values)
    assert message in error.value.message_dict[field][0]
    assert _people() == []


def test_the_same_person_in_the_same_position_is_not_listed_twice(tenant_a):
    p, school = tenant_a.partnership, tenant_a.schools[0]
    person_create(actor=None, partnership=p, school=school, full_name="Sam Smith", position="governor")
    with pytest.raises(ValidationError) as error:
        person_create(actor=None, partnership=p, school=school, full_name="sam  smith", position="governor")
    assert "already listed as governor" in error.value.message_dict["full_name"][0]
    other = person_create(actor=None, partnership=p, school=school, full_name="Sam Smith", position="clerk")
    with pytest.raises(ValidationError):
        person_update(actor=None, person=other, full_name="Sam Smith", position="governor")


def test_people_are_not_added_to_a_school_that_has_left(tenant_a):
    with scopes_disabled():
        gone = MembershipFactory(partnership=tenant_a.partnership, left=datetime.date(2024, 8, 31)).school
    with pytest.raises(ValidationError) as error:
        person_create(actor=None, partnership=tenant_a.partnership, school=gone, full_name="Sam", position="teacher")
    assert "left Alpha Partnership on 31 August 2024" in error.value.messages[0]


def test_a_person_named_in_a_group_cannot_be_removed_until_the_group_changes(tenant_a):
    with scopes_disabled():
        person = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], full_name="Dee Deputy")
        group = Group.objects.create(
            partnership=tenant_a.partnership, name="Deputies network", kind="standing", starts=datetime.date(2025, 9, 1)
        )
        GroupMember.objects.create(group=group, person=person)
    with pytest.raises(ValidationError) as error:
        person_remove(actor=None, person=person)
    assert "Dee Deputy cannot be removed while they are named in" in error.value.message_dict["person"][0]
    assert _people() == [("Dee Deputy", "teacher")]


# --- the pages ---------------------------------------------------------------------------------------


def url(tenant, school, suffix=""):
    return f"/p/{tenant.slug}/members/{school.urn}/people/{suffix}"


def test_the_coordinator_adds_changes_and_removes_a_person_through_the_pages(tenant_a, client_for):
    client, school = client_for(tenant_a.coordinator), tenant_a.schools[0]
    assert client.get(url(tenant_a, school, "add/")).status_code == 200
    response = client.post(
        url(tenant_a, school, "add/"), {"full_name": "Ola Owen", "email": "ola@school.example", "position": "eyfs_lead"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#people")
    with scopes_disabled():
        person = Person.objects.get(full_name="Ola Owen")
    assert person.partnership == tenant_a.partnership
    edit = client.get(url(tenant_a, school, f"{person.pk}/"))
    assert edit.context["form"].initial["position"] == "eyfs_lead"
    assert (
        client.post(
            url(tenant_a, school, f"{person.pk}/"),
            {"full_name": "Ola Owen-Jones", "email": "", "position": "eyfs_lead"},
        ).status_code
        == 302
    )
    assert _people() == [("Ola Owen-Jones", "eyfs_lead")]
    confirm = client.get(url(tenant_a, school, f"{person.pk}/remove/"))
    assert confirm.status_code == 200 and "Remove Ola Owen-Jones?" in confirm.content.decode()
    assert client.post(url(tenant_a, school, f"{person.pk}/remove/")).status_code == 302
    assert _people() == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter the full name"),
        ({"full_name": "x" * 151}, "full_name", "150 characters or fewer"),
        ({"email": "not-an-email"}, "email", "like name@example.com"),
        ({"position": ""}, "position", "Select the position"),
        ({"position": "emperor"}, "position", "one of the options"),
    ],
)
def test_bad_person_input_is_shown_next_to_the_field(tenant_a, client_for, data, field, message):
    response = client_for(tenant_a.coordinator).post(
        url(tenant_a, tenant_a.schools[0], "add/"), {"full_name": "Sam", "email": "", "position": "teacher"} | data
    )
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert "<title>Error: " in response.content.decode()
    assert _people() == []


def test_a_person_of_another_school_or_partnership_is_404(tenant_a, tenant_b, client_for):
    client = client_for(tenant_a.coordinator)
    with scopes_disabled():
        mine = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0])
        theirs = PersonFactory(partnership=tenant_b.partnership, school=tenant_a.schools[0])
    # The person exists in A, but under the other school's URL.
    assert client.get(url(tenant_a, tenant_a.schools[1], f"{mine.pk}/")).status_code == 404
    # A person of B, even for a school A knows, is invisible.
    assert client.get(url(tenant_a, tenant_a.schools[0], f"{theirs.pk}/")).status_code == 404
    assert client.post(url(tenant_a, tenant_a.schools[0], f"{theirs.pk}/remove/")).status_code == 404
    assert client.get(url(tenant_a, tenant_a.schools[0], "99999999999999999999/")).status_code == 404
    with scope(partnership=tenant_b.partnership):
        assert Person.objects.filter(pk=theirs.pk).exists()


def test_the_remove_page_explains_why_a_person_cannot_be_removed(tenant_a, client_for):
    with scopes_disabled():
        person = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], full_name="Dee Deputy")
        group = Group.objects.create(
            partnership=tenant_a.partnership, name="Deputies network", kind="standing", starts=datetime.date(2025, 9, 1)
        )
        GroupMember.objects.create(group=group, person=person)
    response = client_for(tenant_a.coordinator).post(url(tenant_a, tenant_a.schools[0], f"{person.pk}/remove/"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "cannot be removed while they are named in" in body


def test_only_the_coordinator_and_the_schools_own_headteacher_change_its_people(tenant_a, client_for):
    from partnerships.roles import Role
    from tests.factories.partnerships import give_role

    deputy = UserFactory()
    give_role(deputy, tenant_a.partnership, Role.DEPUTY, tenant_a.schools[0])
    response = client_for(deputy).post(
        url(tenant_a, tenant_a.schools[0], "add/"), {"full_name": "Sam", "position": "teacher"}
    )
    assert response.status_code == 403
    assert _people() == []


# --- A headteacher keeps their own school's people -----------------------------------------------------


def _people_url(tenant, school, tail=""):
    return f"/p/{tenant.slug}/members/{school.urn}/people/{tail}"


def test_a_headteacher_adds_corrects_and_removes_their_own_schools_people_and_it_is_audited(tenant_a, client_for):
    own = tenant_a.schools[0]
    client = client_for(tenant_a.headteacher)
    page = client.get(f"/p/{tenant_a.slug}/members/{own.urn}/").content.decode()
    assert "Add a person" in page
    response = client.post(_people_url(tenant_a, own, "add/"), {"full_name": "Asha Khan", "position": "teacher"})
    assert response.status_code == 302
    with scopes_disabled():
        person = Person.objects.get(partnership=tenant_a.partnership, school=own, full_name="Asha Khan")
    edit = client.post(
        _people_url(tenant_a, own, f"{person.pk}/"), {"full_name": "Asha Khan-Ali", "position": "teacher"}
    )
    assert edit.status_code == 302
    assert client.post(_people_url(tenant_a, own, f"{person.pk}/remove/")).status_code == 302
    with scopes_disabled():
        assert not Person.objects.filter(pk=person.pk).exists()
        actions = list(
            AuditEvent.objects.filter(partnership=tenant_a.partnership, actor=tenant_a.headteacher)
            .order_by("created_at", "pk")
            .values_list("action", flat=True)
        )
    assert actions[-3:] == ["schools.person_added", "schools.person_changed", "schools.person_removed"]


def test_a_headteacher_cannot_touch_another_schools_people(tenant_a, client_for):
    """Another school's people are private to it: its people pages do not exist for this head (404)."""
    own = tenant_a.schools[0]
    other = next(school for school in tenant_a.schools if school != own)
    with scopes_disabled():
        person = PersonFactory(partnership=tenant_a.partnership, school=other)
    client = client_for(tenant_a.headteacher)
    assert "Add a person" not in client.get(f"/p/{tenant_a.slug}/members/{other.urn}/").content.decode()
    before = _people_rows(tenant_a)
    assert client.get(_people_url(tenant_a, other, "add/")).status_code == 404
    assert (
        client.post(_people_url(tenant_a, other, "add/"), {"full_name": "X", "position": "teacher"}).status_code == 404
    )
    assert (
        client.post(
            _people_url(tenant_a, other, f"{person.pk}/"), {"full_name": "X", "position": "teacher"}
        ).status_code
        == 404
    )
    assert client.post(_people_url(tenant_a, other, f"{person.pk}/remove/")).status_code == 404
    assert _people_rows(tenant_a) == before


def _people_rows(tenant):
    with scopes_disabled():
        return sorted(Person.objects.filter(partnership=tenant.partnership).values_list("pk", "full_name", "position"))
