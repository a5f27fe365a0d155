import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, Invitation, User
from partnerships.models import RoleAssignment
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
GOOD = {
    "full_name": "Ivy Invitee",
    "password1": "correct-horse-battery-9",
    "password2": "correct-horse-battery-9",
}


def url(invitation):
    return reverse("invitation_accept", args=[invitation.token])


def test_a_new_person_accepts_sets_a_password_starts_the_role_and_is_signed_in(tenant_a, client):
    invitation = tenant_a.invitation
    page = client.get(url(invitation))
    assert page.status_code == 200 and "governor" in page.content.decode()
    response = client.post(url(invitation), GOOD)
    assert response.status_code == 302 and response["Location"] == f"/p/{tenant_a.slug}/"
    user = User.objects.get(email=invitation.email)
    assert user.check_password(GOOD["password1"]) and user.full_name == "Ivy Invitee"
    assert user.emailaddress_set.get().verified
    with scopes_disabled():
        role = RoleAssignment.objects.get(user=user)
        assert AuditEvent.objects.filter(action="invitation.accepted", data__invitation=invitation.pk).exists()
    assert (role.role, role.school, role.end) == ("governor", tenant_a.schools[1], None)
    assert client.get(f"/p/{tenant_a.slug}/").status_code == 200


def test_a_used_link_cannot_be_used_again(tenant_a, client):
    client.post(url(tenant_a.invitation), GOOD)
    client.logout()
    again = client.post(url(tenant_a.invitation), {**GOOD, "password1": "another-long-pass-1"})
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()
    assert User.objects.get(email=tenant_a.invitation.email).check_password(GOOD["password1"])


def test_an_expired_link_is_refused_and_creates_no_one(tenant_a, client):
    with scopes_disabled():
        Invitation.objects.filter(pk=tenant_a.invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    response = client.post(url(tenant_a.invitation), GOOD)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email=tenant_a.invitation.email).exists()


def test_a_withdrawn_link_is_refused(tenant_a, client_for, client):
    client_for(tenant_a.coordinator).post(f"/p/{tenant_a.slug}/people/invitations/{tenant_a.invitation.pk}/withdraw/")
    response = client.get(url(tenant_a.invitation))
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "1", "1:forged-signature", "x:1", "a" * 500])
def test_a_forged_or_garbled_token_is_404(client, token, tenant_a):
    assert client.get(f"/invitations/{token}/").status_code == 404
    assert client.post(f"/invitations/{token}/", GOOD).status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password2": "something-else-entirely"}, "password2", "do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123456", "password2": "password123456"}, "password1", "too common"),
        ({"full_name": ""}, "full_name", "Enter your full name"),
    ],
)
def test_bad_acceptance_input_is_shown_next_to_the_field_and_changes_nothing(tenant_a, client, data, field, message):
    response = client.post(url(tenant_a.invitation), {**GOOD, **data})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email=tenant_a.invitation.email).exists()
    with scopes_disabled():
        tenant_a.invitation.refresh_from_db()
    assert tenant_a.invitation.accepted_at is None


def test_an_existing_user_signed_in_accepts_with_one_click(tenant_a, tenant_b, client_for):
    """Someone already in partnership B is invited into A."""
    from partnerships.services.invitations import invitation_create

    with scopes_disabled():
        invitation = invitation_create(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            email=tenant_b.headteacher.email.upper(),
            full_name="B Head",
            role="la_observer",
        )
    client = client_for(tenant_b.headteacher)
    assert "Accept invitation" in client.get(url(invitation)).content.decode()
    assert client.post(url(invitation)).status_code == 302
    assert client.get(f"/p/{tenant_a.slug}/").status_code == 200


def test_an_existing_user_must_sign_in_rather_than_create_a_second_account(tenant_a, tenant_b, client):
    from partnerships.services.invitations import invitation_create

    with scopes_disabled():
        invitation = invitation_create(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            email=tenant_b.headteacher.email,
            full_name="B Head",
            role="la_observer",
        )
    response = client.post(url(invitation), GOOD)
    assert response.status_code == 400 and "sign in first" in response.content.decode()
    assert User.objects.filter(email=tenant_b.headteacher.email).count() == 1


def test_the_wrong_signed_in_person_cannot_take_someone_elses_invitation(tenant_a, client_for):
    intruder = UserFactory()
    response = client_for(intruder).post(url(tenant_a.invitation))
    assert response.status_code == 400 and "This invitation is for" in response.content.decode()
    with scopes_disabled():
        assert not RoleAssignment.objects.filter(user=intruder).exists()


def test_sending_is_idempotent(tenant_a, smtp_server, django_capture_on_commit_callbacks):
    from partnerships.tasks.invitations import send_invitation

    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitation(tenant_a.invitation.pk, partnership_id=tenant_a.partnership.pk) is True
        assert send_invitation(tenant_a.invitation.pk, partnership_id=tenant_a.partnership.pk) is False
    [received] = smtp_server.messages
    assert received["Subject"] == f"You are invited to {tenant_a.partnership.name} on Commonroom"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    link = f"/invitations/{tenant_a.invitation.token}/"
    assert f"Dear {tenant_a.invitation.full_name}," in text and link in text
    assert link in html and "Accept the invitation" in html


def test_the_task_cannot_read_another_partnerships_invitation(tenant_a, tenant_b):
    from core.models import OutboxMessage
    from partnerships.tasks.invitations import send_invitation

    # Called with B's id but A's partnership: the scope hides the row, nothing is queued.
    assert send_invitation(tenant_b.invitation.pk, partnership_id=tenant_a.partnership.pk) is False
    assert not OutboxMessage.objects.exists()


def test_accepting_links_the_schools_record_of_the_person_to_the_account(tenant_a, client):
    from schools.models import Person

    with scopes_disabled():
        record = Person.objects.create(
            partnership=tenant_a.partnership,
            school=tenant_a.schools[1],
            full_name="Ivy Invitee",
            email=tenant_a.invitation.email.upper(),
            position=Person.Position.GOVERNOR,
        )
    client.post(url(tenant_a.invitation), GOOD)
    with scopes_disabled():
        record.refresh_from_db()
    assert record.user == User.objects.get(email=tenant_a.invitation.email)
