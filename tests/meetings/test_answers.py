"""Answering an invitation: coming, apologies with a reason, or a substitute from the same school, who
is invited in the invitee's place (and sent the cancellation when no longer sent)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from meetings.models import Invitee
from meetings.services.scheduling import meeting_answer
from schools.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.meetings import InviteeFactory, MeetingFactory
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db
P = Person.Position


@pytest.fixture
def invited(tenant_a):
    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        return InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])


def answer_url(tenant, invitee):
    return reverse("meetings:answer", kwargs={"partnership_slug": tenant.slug, "meeting_pk": invitee.meeting_id})


def test_a_headteacher_sends_apologies_with_a_reason_from_the_meeting_page(tenant_a, invited, client_for):
    client = client_for(tenant_a.headteacher)
    detail = reverse("meetings:detail", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": invited.meeting_id})
    assert "You have not answered yet" in client.get(detail).content.decode()
    missing = client.post(answer_url(tenant_a, invited), {"answer": "apologies", "apologies_reason": ""})
    assert missing.status_code == 400 and "Give the reason for your apologies" in missing.content.decode()
    response = client.post(answer_url(tenant_a, invited), {"answer": "apologies", "apologies_reason": "Ofsted are in"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.answer, invited.apologies_reason) == ("apologies", "Ofsted are in")
    assert "Sends apologies: Ofsted are in" in client.get(detail).content.decode()
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="meeting.answered", actor=tenant_a.headteacher).exists()


def test_a_deputy_of_the_same_school_is_invited_in_the_headteachers_place(
    tenant_a, invited, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        deputy = PersonFactory(
            partnership=tenant_a.partnership, school=tenant_a.schools[0], position=P.DEPUTY_HEAD, email="dep@a.example"
        )
        other_school = PersonFactory(
            partnership=tenant_a.partnership, school=tenant_a.schools[1], position=P.DEPUTY_HEAD
        )
        teacher = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], position=P.TEACHER)
    client = client_for(tenant_a.headteacher)
    page = client.get(answer_url(tenant_a, invited)).content.decode()
    assert deputy.full_name in page and other_school.full_name not in page and teacher.full_name not in page
    for wrong in (other_school, teacher):
        with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
            meeting_answer(actor=tenant_a.headteacher, invitee=invited, answer="substitute", substitute=wrong)
        assert "choose a deputy or assistant headteacher" in refused.value.message_dict["substitute"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(tenant_a, invited), {"answer": "substitute", "substitute": deputy.pk})
    assert response.status_code == 302
    with scopes_disabled():
        stand_in = Invitee.objects.get(meeting=invited.meeting, person=deputy)
    assert stand_in.substitute_for == invited and stand_in.school == tenant_a.schools[0]
    assert [m.to[0] for m in mailoutbox] == ["dep@a.example"] and mailoutbox[0].subject.startswith("Invitation: ")
    # Changing to "coming" takes the substitute off again, with a cancellation.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url(tenant_a, invited), {"answer": "attending"})
    stand_in.refresh_from_db()
    assert stand_in.removed_at is not None
    assert mailoutbox[-1].to == ["dep@a.example"] and mailoutbox[-1].subject.startswith("Cancelled: ")


def test_nobody_else_can_answer_for_an_invitee_but_the_coordinator(tenant_a, invited):
    stranger = UserFactory()
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError, match="Only the person invited"):
            meeting_answer(actor=stranger, invitee=invited, answer="attending")
        meeting_answer(actor=tenant_a.coordinator, invitee=invited, answer="attending")
    invited.refresh_from_db()
    assert invited.answer == "attending"


def test_someone_not_invited_is_told_so_and_cannot_answer(tenant_a, invited, client_for):
    client = client_for(tenant_a.coordinator)
    assert "You are not invited to this meeting" in client.get(answer_url(tenant_a, invited)).content.decode()
    response = client.post(answer_url(tenant_a, invited), {"answer": "attending"})
    assert response.status_code == 400 and "nothing to answer" in response.content.decode()
    invited.refresh_from_db()
    assert invited.answer == ""


def test_the_dashboard_shows_the_next_meetings_and_the_invitations_still_to_answer(tenant_a, invited, client_for):
    client = client_for(tenant_a.headteacher)
    dashboard = reverse("partnerships:dashboard", kwargs={"partnership_slug": tenant_a.slug})
    page = client.get(dashboard).content.decode()
    assert "You have not answered 1 invitation." in page
    assert f"Answer: {invited.meeting.title}" in page
    client.post(answer_url(tenant_a, invited), {"answer": "attending"})
    page = client.get(dashboard).content.decode()
    assert "You have not answered" not in page and invited.meeting.title in page


def _answer_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(line for line in text.splitlines() if "/meetings/answer/" in line).split("testserver")[-1].strip()


def test_the_link_in_the_invitation_answers_without_signing_in_but_only_by_a_post(
    tenant_a, tenant_b, smtp_server, django_capture_on_commit_callbacks, settings
):
    import datetime

    from django.test import Client
    from django.utils import timezone

    from meetings.services.scheduling import meeting_schedule

    settings.SITE_URL = "http://testserver"
    starts = (timezone.localtime() + datetime.timedelta(days=20)).replace(hour=16, minute=0, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True), scope(partnership=tenant_a.partnership):
        meeting = meeting_schedule(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            kind="partnership",
            title="Partnership meeting",
            starts=starts,
            ends=starts + datetime.timedelta(hours=1),
            venue_address="The Hall",
        )
    message = next(m for m in smtp_server.messages if m["To"] == tenant_a.headteacher.email)
    link = _answer_link(message)
    anonymous = Client()
    page = anonymous.get(link)  # what a mail scanner does: it changes nothing
    assert page.status_code == 200 and "You have not answered yet" in page.content.decode()
    assert "Partnership menu" not in page.content.decode()
    with scopes_disabled():
        invitee = Invitee.objects.get(meeting=meeting, user=tenant_a.headteacher)
    assert invitee.answer == ""
    response = anonymous.post(link, {"answer": "apologies", "apologies_reason": "Governors' meeting"})
    assert response.status_code == 302
    invitee.refresh_from_db()
    assert (invitee.answer, invitee.apologies_reason) == ("apologies", "Governors' meeting")
    with scopes_disabled():
        audit = AuditEvent.objects.get(action="meeting.answered")
    assert audit.actor is None and audit.data["by_link"] is True
    # The link names this invitee only: altered, or under another partnership's address, it finds nothing.
    assert anonymous.get(link[:-2] + "x/").status_code == 404
    other = link.replace(f"/p/{tenant_a.slug}/", "/p/beta-partnership/")
    assert anonymous.get(other).status_code == 404
