"""The meetings pages: scheduling through the form, changing, cancelling, inviting and taking people
off, as the coordinator does it in the browser; constant queries on large meetings."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import OutboxMessage
from core.testing import assert_constant_queries
from meetings.models import Invitee, Meeting
from partnerships.models import Constitution, Membership
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.meetings import InviteeFactory, MeetingFactory
from tests.factories.partnerships import MembershipFactory, give_role

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def form_data(day: datetime.date, **overrides) -> dict:
    data = {
        "kind": "partnership",
        "title": "Partnership meeting",
        "day_day": str(day.day),
        "day_month": str(day.month),
        "day_year": str(day.year),
        "start_time": "16:00",
        "end_time": "17:30",
        "venue_school": "",
        "venue_address": "The Hall\n1 School Lane",
        "online_link": "",
        "chair": "",
        "note_taker": "",
        "short_notice_reason": "",
    }
    return data | overrides


def url(tenant, name="list", **kwargs):
    from django.urls import reverse

    return reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant.slug, **kwargs})


def test_the_coordinator_schedules_a_meeting_and_everyone_invited_is_sent_an_invitation(
    tenant_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(tenant_a.coordinator)
    page = client.get(url(tenant_a, "schedule"))
    assert page.status_code == 200
    assert "clear days" in page.content.decode()
    day = in_days(20)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(tenant_a, "schedule"), form_data(day))
    with scopes_disabled():
        meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url(tenant_a, "detail", meeting_pk=meeting.pk)
    assert timezone.localtime(meeting.starts) == datetime.datetime(
        day.year, day.month, day.day, 16, tzinfo=timezone.get_current_timezone()
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([tenant_a.coordinator.email, tenant_a.headteacher.email])
    detail = client.get(response["Location"]).content.decode()
    assert tenant_a.headteacher.full_name in detail and "Sent" in detail
    assert "Partnership meeting" in client.get(url(tenant_a)).content.decode()


def test_a_headteacher_sees_the_meeting_but_not_its_notices_or_the_buttons(tenant_a, client_for):
    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
    page = client_for(tenant_a.headteacher).get(url(tenant_a, "detail", meeting_pk=meeting.pk)).content.decode()
    assert tenant_a.headteacher.full_name in page
    assert "Cancel the meeting" not in page and "Take off" not in page and "Notice" not in page


def test_inside_the_notice_period_the_form_asks_why_next_to_the_field_and_nothing_is_written(tenant_a, client_for):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(notice_days=7)
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "schedule"), form_data(in_days(3)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "agreement asks for 7 clear days" in page and 'href="#id_short_notice_reason"' in page
    with scopes_disabled():
        assert not Meeting.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_time": "half four"}, "start_time", "Enter the start time like 16:00"),
        ({"end_time": "15:00"}, "end_time", "The meeting must end after it starts"),
        ({"day_day": "31", "day_month": "2"}, "day", "The date must be a real date"),
        ({"title": ""}, "title", "Enter the meeting&#x27;s title"),
        ({"venue_address": ""}, "venue_school", "Say where the meeting is"),
        ({"online_link": "not a link"}, "online_link", "Enter the online meeting link as a web address"),
        ({"kind": "group"}, "group", "Choose the group that is meeting"),
        ({"kind": "picnic"}, "kind", "Choose what kind of meeting this is"),
    ],
)
def test_bad_input_is_explained_next_to_its_field_and_changes_nothing(tenant_a, client_for, overrides, field, message):
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "schedule"), form_data(in_days(20), **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#id_{field}' in page and message in page
    with scopes_disabled():
        assert not Meeting.objects.exists()


def test_moving_a_meeting_tells_everyone_and_cancelling_takes_it_out_of_their_calendars(
    tenant_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(tenant_a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(tenant_a, "schedule"), form_data(in_days(20)))
    with scopes_disabled():
        meeting = Meeting.objects.get()
    mailoutbox.clear()
    change = url(tenant_a, "change", meeting_pk=meeting.pk)
    assert 'value="16:00"' in client.get(change).content.decode()
    data = form_data(in_days(21), start_time="15:30")
    del data["kind"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, data).status_code == 302
    assert len(mailoutbox) == 2 and all(m.subject.startswith("Changed: ") for m in mailoutbox)
    mailoutbox.clear()
    cancel = url(tenant_a, "cancel", meeting_pk=meeting.pk)
    assert client.post(cancel, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(cancel, {"reason": "The hall is flooded"}).status_code == 302
    assert len(mailoutbox) == 2 and all(m.subject.startswith("Cancelled: ") for m in mailoutbox)
    page = client.get(url(tenant_a, "detail", meeting_pk=meeting.pk)).content.decode()
    assert "The hall is flooded" in page and "Change the meeting" not in page


def test_inviting_someone_else_and_taking_them_off(
    tenant_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(tenant_a.coordinator)
    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
    deputy = UserFactory(full_name="Dana Deputy")
    give_role(deputy, tenant_a.partnership, Role.DEPUTY, tenant_a.schools[0])
    add = url(tenant_a, "invitee_add", meeting_pk=meeting.pk)
    assert "Dana Deputy" in client.get(add).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(add, {"user": deputy.pk}).status_code == 302
    with scopes_disabled():
        invitee = Invitee.objects.get(meeting=meeting, user=deputy)
    assert [m.to[0] for m in mailoutbox] == [deputy.email]
    again = client.post(add, {"user": deputy.pk})
    assert again.status_code == 400 and "not invited yet" in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(tenant_a, "invitee_remove", invitee_pk=invitee.pk)).status_code == 302
    assert mailoutbox[-1].subject.startswith("Cancelled: ")
    assert client.get(url(tenant_a, "invitee_remove", invitee_pk=invitee.pk)).status_code == 404


def test_the_meeting_page_and_the_list_run_the_same_queries_for_10_and_200_invitees(tenant_a, client_for):
    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)

    def invite(count):
        for _ in range(count):
            school = MembershipFactory(partnership=tenant_a.partnership).school
            head = UserFactory()
            give_role(head, tenant_a.partnership, Role.HEADTEACHER, school)
            InviteeFactory(meeting=meeting, user=head, school=school)
            OutboxMessage.objects.create(
                about=f"meeting:{meeting.pk}",
                recipient=head.email,
                kind="meeting.invitation",
                subject="Invitation",
                text="",
                html="",
                message_id=f"<{head.pk}@test>",
            )

    with scopes_disabled():
        invite(10)
    client = client_for(tenant_a.coordinator)
    assert_constant_queries(
        client, url(tenant_a, "detail", meeting_pk=meeting.pk), grow=lambda: invite(190), at_most=25
    )

    def more_meetings():
        for n in range(40):
            MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, title=f"Meeting {n}")

    assert_constant_queries(client, url(tenant_a), grow=more_meetings, at_most=25)
    with scopes_disabled():
        assert Membership.objects.filter(partnership=tenant_a.partnership).count() > 200
