"""Notes of visit: the adviser plans a visit and the headteacher agrees its agenda; the note is read
only by the school's headteacher, the adviser who wrote it and the roles it names (404 to everyone
else, the coordinator, other schools' people and other advisers included); the page's GET writes
nothing and the note is shown by a POST that records the reading; bad input is refused at its field."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from partnerships.roles import Role
from subscriptions.models import Visit, VisitView
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import give_role, member_school_with_head
from tests.factories.visits import adviser_for, visit_for

D = datetime.date


def _url(tenant, visit, tail: str = "") -> str:
    return f"/p/{tenant.slug}/subscriptions/visits/{visit.pk}/{tail}"


@pytest.mark.django_db
def test_the_adviser_plans_the_head_agrees_the_agenda_and_the_adviser_writes_the_note(tenant_a):
    adviser = adviser_for(tenant_a)
    client = signed_in(adviser)
    new = f"/p/{tenant_a.slug}/subscriptions/visits/new/"
    assert client.get(new).status_code == 200
    planned = client.post(
        new, {"school": tenant_a.schools[0].pk, "on": "2026-11-02", "agenda": "Reading", "shared_with": ["deputy"]}
    )
    assert planned.status_code == 302
    with scopes_disabled():
        visit = Visit.objects.get()
    assert visit.adviser == adviser and visit.shared_with == ["deputy"] and visit.agenda_agreed_at is None

    head = signed_in(tenant_a.headteacher)
    assert head.get(_url(tenant_a, visit, "agenda/")).status_code == 200
    assert head.post(_url(tenant_a, visit, "agenda/")).status_code == 302
    with scopes_disabled():
        visit.refresh_from_db()
    assert visit.agenda_agreed_by == tenant_a.headteacher
    # The adviser cannot agree their own agenda.
    assert client.get(_url(tenant_a, visit, "agenda/")).status_code == 403

    notes = {
        "agenda": "Reading",
        "seen": "The English lead",
        "evidence": "Year 5 books",
        "judgements": "Strong",
        "next_steps": "Writing",
    }
    assert client.post(_url(tenant_a, visit, "note/"), notes).status_code == 302
    with scopes_disabled():
        visit.refresh_from_db()
    assert visit.judgements == "Strong" and visit.shared_with == []
    assert visit.agenda_agreed_at  # the agenda did not change, so it stays agreed
    # The headteacher reads but does not write the note.
    assert head.get(_url(tenant_a, visit, "note/")).status_code == 403


@pytest.mark.django_db
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(tenant_a):
    adviser = adviser_for(tenant_a)
    other, _ = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))
    client = signed_in(adviser)
    new = f"/p/{tenant_a.slug}/subscriptions/visits/new/"
    response = client.post(new, {"school": tenant_a.schools[0].pk, "on": "2026-13-40", "agenda": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the agenda" in page
    # Another school (not one of theirs) is not among the choices.
    assert client.post(new, {"school": other.pk, "on": "2026-11-02", "agenda": "Reading"}).status_code == 400
    visit = visit_for(tenant_a, adviser=adviser)
    empty = client.post(_url(tenant_a, visit, "note/"), {"agenda": "Reading"})
    assert empty.status_code == 400 and "Enter who was seen" in empty.content.decode()
    with scopes_disabled():
        assert Visit.objects.count() == 1 and not Visit.objects.get().written


@pytest.mark.django_db
def test_only_the_head_the_adviser_and_the_named_roles_read_the_note(tenant_a, tenant_b):
    adviser = adviser_for(tenant_a)
    visit = visit_for(tenant_a, adviser=adviser, shared_with=["chair_of_governors"])
    school = tenant_a.schools[0]
    other_school, other_head = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))

    def user_with(role, for_school=None):
        user = UserFactory()
        give_role(user, tenant_a.partnership, role, for_school)
        return user

    readers = [tenant_a.headteacher, adviser, user_with(Role.CHAIR_OF_GOVERNORS, school)]
    strangers = [
        tenant_a.coordinator,  # not named on this note
        user_with(Role.DEPUTY, school),  # a role of the school the note does not name
        user_with(Role.GOVERNOR, school),
        user_with(Role.CHAIR_OF_GOVERNORS, other_school),  # the named role, but for another school
        other_head,  # another school's headteacher
        adviser_for(tenant_a, other_school, name="Other Adviser"),  # another school's adviser
        adviser_for(tenant_a, school, name="Second Adviser"),  # the school's other adviser did not write it
        user_with(Role.CHAIR),
    ]
    for user in readers:
        assert signed_in(user).get(_url(tenant_a, visit)).status_code == 200, user
    for user in strangers:
        client = signed_in(user)
        for tail in ("", "agenda/", "note/"):
            assert client.get(_url(tenant_a, visit, tail)).status_code == 404, (user, tail)
            assert client.post(_url(tenant_a, visit, tail)).status_code == 404, (user, tail)
        assert "Reading in key stage 2" not in client.get(f"/p/{tenant_a.slug}/subscriptions/visits/").content.decode()
    # Another partnership's coordinator: the slug is theirs, the note is not.
    assert signed_in(tenant_b.coordinator).get(_url(tenant_b, visit)).status_code == 404
    with scopes_disabled():
        assert not VisitView.objects.exists()


@pytest.mark.django_db
def test_the_page_writes_nothing_and_reading_the_note_is_recorded(tenant_a):
    visit = visit_for(tenant_a)
    client = signed_in(tenant_a.headteacher)
    page = client.get(_url(tenant_a, visit))
    assert page.status_code == 200
    assert "Read the note" in page.content.decode() and "Reading in key stage 2" not in page.content.decode()
    with scopes_disabled():
        assert not VisitView.objects.exists()
    read = client.post(_url(tenant_a, visit))
    assert read.status_code == 200
    text = read.content.decode()
    assert "Reading in key stage 2" in text and "Readings of this note" in text
    with scopes_disabled():
        view = VisitView.objects.get()
        assert (view.visit, view.user) == (visit, tenant_a.headteacher)
        assert AuditEvent.objects.filter(action="subscriptions.visit_viewed", actor=tenant_a.headteacher).count() == 1
    client.post(_url(tenant_a, visit))
    with scopes_disabled():
        assert VisitView.objects.count() == 2  # every reading


@pytest.mark.django_db
def test_the_list_runs_a_constant_number_of_queries(tenant_a):
    adviser = adviser_for(tenant_a)
    visit_for(tenant_a, adviser=adviser)
    other_school, _ = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))

    other_adviser = adviser_for(tenant_a, other_school, name="Other Adviser")

    def grow():
        for _ in range(10):
            visit_for(tenant_a, adviser=adviser)
            visit_for(tenant_a, adviser=other_adviser, school=other_school)  # not theirs to read

    for user in (adviser, tenant_a.headteacher):
        assert_constant_queries(signed_in(user), f"/p/{tenant_a.slug}/subscriptions/visits/", grow=grow, at_most=20)
    assert_constant_queries(signed_in(adviser), f"/p/{tenant_a.slug}/subscriptions/", grow=grow, at_most=25)


@pytest.mark.django_db
def test_an_adviser_beyond_the_partnerships_limit_of_schools_is_refused(tenant_a):
    from django.core.exceptions import ValidationError

    from partnerships.models import Constitution, RoleAssignment

    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(adviser_max_schools=2)
    schools = [member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))[0] for _ in range(2)]
    adviser = adviser_for(tenant_a, tenant_a.schools[0], schools[0])
    with scopes_disabled(), pytest.raises(ValidationError, match="already advises 2 schools") as refused:
        give_role(adviser, tenant_a.partnership, Role.ADVISER, schools[1])
    assert "school" in refused.value.message_dict
    with scopes_disabled():
        assert RoleAssignment.objects.filter(user=adviser, role=Role.ADVISER).count() == 2
        Constitution.objects.filter(partnership=tenant_a.partnership).update(adviser_max_schools=None)
        give_role(adviser, tenant_a.partnership, Role.ADVISER, schools[1])  # no limit set: no refusal


def test_the_headteacher_is_asked_to_agree_the_agenda_and_the_email_carries_no_note(tenant_a):
    from core.models import OutboxMessage
    from tests.factories.visits import visit_for

    visit = visit_for(tenant_a)
    with scopes_disabled():
        message = OutboxMessage.objects.get(about=f"visit:{visit.pk}")
    assert message.recipient == tenant_a.headteacher.email.lower() and message.kind == "visit.agenda"
    assert f"/visits/{visit.pk}/agenda/" in message.text and "Please agree the agenda" in message.subject
    assert "Reading in key stage 2" not in message.text  # what the visit covers stays in the app
