"""The register of interests: yearly declarations, who sees them, and reminders sent once a day at most."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import Interest, InterestDeclaration, InterestReminder
from partnerships.roles import Role
from partnerships.selectors.interests import (
    MISSING,
    OUT_OF_DATE,
    UP_TO_DATE,
    declarations_due_count,
    interests_for_users,
    register,
    reminders_due,
)
from partnerships.tasks.interests import remind_missing_declarations
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import DeclarationFactory, InterestFactory, give_role

pytestmark = pytest.mark.django_db


def url(tenant, path=""):
    return f"/p/{tenant.slug}/interests/{path}"


def declare(client, tenant, **data):
    payload = {"has_interests": "no"}
    payload.update(data)
    return client.post(url(tenant, "declare/"), payload)


def states(tenant, today=None):
    with scope(partnership=tenant.partnership):
        return {row.user: row.state for row in register(tenant.partnership, today)}


# --- Declaring ----------------------------------------------------------------------------------------------


def test_a_headteacher_declares_nothing_then_an_interest_and_the_new_one_supersedes(tenant_a, client_for):
    client = client_for(tenant_a.headteacher)
    assert "You have not made a declaration yet" in client.get(url(tenant_a)).content.decode()
    assert declare(client, tenant_a).status_code == 302
    assert states(tenant_a)[tenant_a.headteacher] == UP_TO_DATE
    response = declare(
        client, tenant_a, has_interests="yes", kind_1="pecuniary", description_1="Director of Tutors Ltd"
    )
    assert response.status_code == 302
    with scopes_disabled():
        latest = InterestDeclaration.objects.filter(user=tenant_a.headteacher).order_by("-pk").first()
        assert not latest.nothing_to_declare
        assert list(latest.interests.values_list("kind", "description")) == [("pecuniary", "Director of Tutors Ltd")]
        assert AuditEvent.objects.filter(action="interests.declared", actor=tenant_a.headteacher).count() == 2
    with scope(partnership=tenant_a.partnership):
        shown = interests_for_users(tenant_a.partnership, [tenant_a.headteacher.pk])[tenant_a.headteacher.pk]
    assert shown.pk == latest.pk and [i.description for i in shown.interest_list] == ["Director of Tutors Ltd"]
    page = client.get(url(tenant_a)).content.decode()
    assert "Current declaration" in page and "Superseded" in page and "Director of Tutors Ltd" in page


def test_the_form_starts_from_the_previous_declaration(tenant_a, client_for):
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.headteacher, nothing_to_declare=False
    )
    InterestFactory(declaration=declaration, description="Trustee of the youth club")
    body = client_for(tenant_a.headteacher).get(url(tenant_a, "declare/")).content.decode()
    assert 'value="Trustee of the youth club"' in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"has_interests": "yes"}, "has_interests", "Describe at least one interest"),
        ({"has_interests": "no", "kind_1": "other", "description_1": "Governor"}, "has_interests", "You chose nothing"),
        ({"has_interests": "yes", "description_2": "Shares"}, "kind_2", "Choose whether interest 2 is pecuniary"),
        ({"has_interests": "yes", "kind_3": "pecuniary"}, "description_3", "Describe interest 3"),
        ({"has_interests": "yes", "kind_1": "bribe", "description_1": "x"}, "kind_1", "using one of the options given"),
        ({"has_interests": "yes", "kind_1": "other", "description_1": "d" * 301}, "description_1", "300 characters"),
        ({"has_interests": "maybe"}, "has_interests", "using one of the options given"),
        ({"has_interests": ""}, "has_interests", "Select yes if you have any interests to declare"),
    ],
)
def test_bad_declarations_are_refused_next_to_the_field_and_nothing_is_saved(
    tenant_a, client_for, data, field, message
):
    response = client_for(tenant_a.headteacher).post(url(tenant_a, "declare/"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    body = response.content.decode()
    assert "There is a problem" in body and f'href="#id_{field}"' in body
    with scopes_disabled():
        assert not InterestDeclaration.objects.exists() and not Interest.objects.exists()


def test_the_service_refuses_someone_without_a_declaring_role(tenant_a):
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    from partnerships.services.interests import interest_declaration_create

    observer = UserFactory()
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        interest_declaration_create(actor=observer, partnership=tenant_a.partnership, nothing_to_declare=True)
    # About the person, not a field: the form shows it at the top (core.forms.apply_service_errors).
    error = refused.value
    assert ValidationError(error.update_error_dict({})).message_dict == {
        NON_FIELD_ERRORS: ["Only people with a role in Alpha Partnership declare interests here"]
    }
    with scopes_disabled():
        assert not InterestDeclaration.objects.filter(user=observer).exists()


# --- The register and its reminder states --------------------------------------------------------------------


def test_reminder_states_missing_out_of_date_and_up_to_date(tenant_a, today):
    p = tenant_a.partnership
    fresh, borderline, stale = UserFactory(), UserFactory(), UserFactory()
    for user in (fresh, borderline, stale):
        give_role(user, p, Role.GOVERNOR, tenant_a.schools[0])
    DeclarationFactory(partnership=p, user=fresh, declared_on=today)
    DeclarationFactory(partnership=p, user=borderline, declared_on=today - datetime.timedelta(days=365))
    DeclarationFactory(partnership=p, user=stale, declared_on=today - datetime.timedelta(days=366))
    # A newer declaration supersedes an old one: the person is up to date.
    DeclarationFactory(partnership=p, user=tenant_a.coordinator, declared_on=today - datetime.timedelta(days=900))
    DeclarationFactory(partnership=p, user=tenant_a.coordinator, declared_on=today - datetime.timedelta(days=3))
    found = states(tenant_a)
    assert found[fresh] == UP_TO_DATE and found[borderline] == UP_TO_DATE
    assert found[stale] == OUT_OF_DATE
    assert found[tenant_a.headteacher] == MISSING
    assert found[tenant_a.coordinator] == UP_TO_DATE
    # The dashboard's count in one query agrees with the register, person by person.
    with scope(partnership=p):
        assert declarations_due_count(p, today) == len(reminders_due(p, today)) == 2  # stale, the head


def test_the_register_lists_everyone_with_a_declaring_role_and_nobody_else(tenant_a, tenant_b, client_for):
    observer = UserFactory(full_name="Olive Observer")
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    DeclarationFactory(partnership=tenant_b.partnership, user=tenant_b.headteacher)
    response = client_for(tenant_a.coordinator).get(url(tenant_a, "register/"))
    names = [row.user.full_name for row in response.context["rows"]]
    assert names == sorted([tenant_a.coordinator.full_name, tenant_a.headteacher.full_name])
    body = response.content.decode()
    assert "Olive Observer" not in body and tenant_b.headteacher.full_name not in body
    assert body.count("govuk-tag--red") == 2  # both missing


def test_a_declaration_in_another_partnership_does_not_count_here(tenant_a, tenant_b):
    give_role(tenant_a.headteacher, tenant_b.partnership, Role.GOVERNOR, tenant_b.schools[0])
    DeclarationFactory(partnership=tenant_b.partnership, user=tenant_a.headteacher)
    assert states(tenant_a)[tenant_a.headteacher] == MISSING
    assert states(tenant_b)[tenant_a.headteacher] == UP_TO_DATE


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.COORDINATOR, 200), (Role.CHAIR, 200), (Role.VICE_CHAIR, 200), (Role.HEADTEACHER, 403), (Role.GOVERNOR, 403)],
)
def test_only_leaders_see_the_register(tenant_a, client_for, role, status):
    user = UserFactory()
    give_role(
        user, tenant_a.partnership, role, tenant_a.schools[0] if role in (Role.HEADTEACHER, Role.GOVERNOR) else None
    )
    DeclarationFactory(partnership=tenant_a.partnership, user=tenant_a.headteacher, nothing_to_declare=False)
    response = client_for(user).get(url(tenant_a, "register/"))
    assert response.status_code == status
    if status == 403:
        assert tenant_a.headteacher.full_name not in response.content.decode()


def test_the_due_filter_shows_only_missing_and_out_of_date(tenant_a, client_for):
    DeclarationFactory(partnership=tenant_a.partnership, user=tenant_a.coordinator)
    response = client_for(tenant_a.coordinator).get(url(tenant_a, "register/?show=due"))
    assert [row.user for row in response.context["rows"]] == [tenant_a.headteacher]


def test_interests_for_users_runs_two_queries_for_any_number_of_people(tenant_a, today):
    users = UserFactory.create_batch(30)
    for i, user in enumerate(users):
        old = DeclarationFactory(
            partnership=tenant_a.partnership, user=user, declared_on=today - datetime.timedelta(days=400)
        )
        InterestFactory(declaration=old, description=f"old {i}")
        new = DeclarationFactory(
            partnership=tenant_a.partnership, user=user, nothing_to_declare=False, declared_on=today
        )
        InterestFactory(declaration=new, description=f"new {i}")
    with scope(partnership=tenant_a.partnership), CaptureQueriesContext(connection) as queries:
        found = interests_for_users(tenant_a.partnership, [u.pk for u in users])
        descriptions = {uid: [i.description for i in d.interest_list] for uid, d in found.items()}
    assert len(queries) == 2
    assert descriptions == {u.pk: [f"new {i}"] for i, u in enumerate(users)}
    assert all(d.state == UP_TO_DATE for d in found.values())


# --- Reminders ----------------------------------------------------------------------------------------------


def test_the_reminder_task_emails_each_person_due_once_a_day(tenant_a, tenant_b, mailoutbox, today, sent_on_commit):
    p = tenant_a.partnership
    stale = UserFactory(email="stale@example.org")
    give_role(stale, p, Role.GOVERNOR, tenant_a.schools[0])
    DeclarationFactory(partnership=p, user=stale, declared_on=today - datetime.timedelta(days=400))
    DeclarationFactory(partnership=p, user=tenant_a.coordinator, declared_on=today)  # up to date: not reminded

    with sent_on_commit():
        assert remind_missing_declarations(partnership_id=p.pk) == 2
        assert remind_missing_declarations(partnership_id=p.pk) == 0  # the second run the same day sends nothing
    assert sorted(m.to[0] for m in mailoutbox) == sorted([stale.email, tenant_a.headteacher.email])
    by_address = {m.to[0]: m for m in mailoutbox}
    assert f"/p/{tenant_a.slug}/interests/declare/" in by_address[stale.email].body
    assert "more than a year ago" in by_address[stale.email].body
    assert "do not yet have a declaration" in by_address[tenant_a.headteacher.email].body
    with scopes_disabled():
        reminded = AuditEvent.objects.filter(partnership=p, action="interests.reminded")
        assert sorted(e.data["user"] for e in reminded) == sorted([stale.pk, tenant_a.headteacher.pk])
        assert {e.data["day"] for e in reminded} == {today.isoformat()}
        assert not AuditEvent.objects.filter(partnership=tenant_b.partnership, action="interests.reminded").exists()


def test_a_reminder_recorded_on_an_earlier_day_does_not_stop_todays(tenant_a, mailoutbox, today, sent_on_commit):
    yesterday = today - datetime.timedelta(days=1)
    with scopes_disabled():
        InterestReminder.objects.create(partnership=tenant_a.partnership, user=tenant_a.headteacher, day=yesterday)
    with sent_on_commit():
        remind_missing_declarations(partnership_id=tenant_a.partnership.pk)
    assert tenant_a.headteacher.email in [m.to[0] for m in mailoutbox]


def test_running_the_task_twice_the_same_day_sends_once_and_the_audit_log_does_not_decide(
    tenant_a, mailoutbox, today, sent_on_commit
):
    from accounts.audit import AuditAction, audit_record

    p = tenant_a.partnership
    # An audit row alone (the old way of remembering) no longer stops a reminder: it is history only.
    audit_record(
        actor=None,
        partnership=p,
        action=AuditAction.INTERESTS_REMINDED,
        summary="x",
        data={"user": tenant_a.headteacher.pk, "day": today.isoformat()},
    )
    with sent_on_commit():
        assert remind_missing_declarations(partnership_id=p.pk) == 2
        assert remind_missing_declarations(partnership_id=p.pk) == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted([tenant_a.coordinator.email, tenant_a.headteacher.email])
    with scopes_disabled():
        reminders = InterestReminder.objects.filter(partnership=p)
        assert sorted((r.user_id, r.day) for r in reminders) == sorted(
            [(tenant_a.coordinator.pk, today), (tenant_a.headteacher.pk, today)]
        )


def test_the_database_holds_one_reminder_per_person_per_partnership_a_day(tenant_a, tenant_b, today):
    user = tenant_a.headteacher
    with scopes_disabled():
        InterestReminder.objects.create(partnership=tenant_a.partnership, user=user, day=today)
        with pytest.raises(IntegrityError), transaction.atomic():
            InterestReminder.objects.create(partnership=tenant_a.partnership, user=user, day=today)
        InterestReminder.objects.create(partnership=tenant_a.partnership, user=user, day=today + datetime.timedelta(1))
        InterestReminder.objects.create(partnership=tenant_b.partnership, user=user, day=today)
        assert InterestReminder.objects.count() == 3


def test_while_smtp_is_down_each_reminder_is_recorded_and_queued_once_then_sent_by_the_sweep(
    tenant_a, smtp_server, sent_on_commit
):
    from core.models import OutboxMessage
    from core.outbox import LONGEST_RETRY, outbox_sweep

    smtp_server.stop()
    with sent_on_commit():
        assert remind_missing_declarations(partnership_id=tenant_a.partnership.pk) == 2
        assert remind_missing_declarations(partnership_id=tenant_a.partnership.pk) == 0
    with scopes_disabled():
        assert InterestReminder.objects.count() == 2
    assert sorted(OutboxMessage.objects.values_list("recipient", "state")) == sorted(
        [(tenant_a.coordinator.email, "retry"), (tenant_a.headteacher.email, "retry")]
    )
    smtp_server.start()
    assert outbox_sweep(now=timezone.now() + LONGEST_RETRY) == 2
    received = {m["To"]: m for m in smtp_server.messages}
    assert sorted(received) == sorted([tenant_a.coordinator.email, tenant_a.headteacher.email])
    html = received[tenant_a.headteacher.email].get_body(preferencelist=("html",)).get_content()
    assert "Declare your interests" in html and f"/p/{tenant_a.slug}/interests/declare/" in html


def test_the_task_needs_its_partnership(tenant_a):
    with pytest.raises(TypeError):
        remind_missing_declarations()


def test_the_coordinator_sees_who_will_be_reminded_then_sends(
    tenant_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(tenant_a.coordinator)
    confirm = client.get(url(tenant_a, "register/remind/"))
    assert confirm.status_code == 200
    assert [row.user for row in confirm.context["rows"]] == sorted(
        [tenant_a.coordinator, tenant_a.headteacher], key=lambda u: u.full_name
    )
    assert mailoutbox == []  # GET only shows who would be reminded
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(tenant_a, "register/remind/"))
    assert response.status_code == 302 and response["Location"] == url(tenant_a, "register/")
    assert len(mailoutbox) == 2
    again = client.get(url(tenant_a, "register/remind/")).content.decode()
    assert again.count("Already reminded today") == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(tenant_a, "register/remind/"))
    assert len(mailoutbox) == 2
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="interests.reminders_requested").count() == 2


def test_reminders_due_lists_the_same_people_as_the_register(tenant_a, today):
    with scope(partnership=tenant_a.partnership):
        due = {row.user for row in reminders_due(tenant_a.partnership, today)}
    assert due == {tenant_a.coordinator, tenant_a.headteacher}


def test_the_declaration_snippet_for_other_pages_shows_interests_and_state(tenant_a, today):
    from django.template.loader import render_to_string

    p = tenant_a.partnership
    old = DeclarationFactory(
        partnership=p,
        user=tenant_a.coordinator,
        nothing_to_declare=False,
        declared_on=today - datetime.timedelta(days=500),
    )
    InterestFactory(declaration=old, description="Owns Tutors Ltd")
    with scope(partnership=p):
        found = interests_for_users(p, [tenant_a.coordinator.pk, tenant_a.headteacher.pk])
    html = render_to_string(
        "partnerships/interests/_declaration.html", {"declaration": found.get(tenant_a.coordinator.pk)}
    )
    assert "Owns Tutors Ltd" in html and "(pecuniary)" in html and "Out of date" in html
    missing = render_to_string(
        "partnerships/interests/_declaration.html", {"declaration": found.get(tenant_a.headteacher.pk)}
    )
    assert "No declaration" in missing


@pytest.fixture
def sent_on_commit(django_capture_on_commit_callbacks):
    """Run what commits would start (the outbox's sends), as the real transaction would on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
