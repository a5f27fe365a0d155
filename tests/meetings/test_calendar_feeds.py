"""Calendar feeds: a person's secret link with the meetings they are invited to, and the partnership's
calendar, read back with the icalendar library; a link is stopped by its holder and dies with their role."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from meetings.models import CalendarFeed, Meeting
from meetings.services.scheduling import calendar_link_create
from tests.factories.meetings import InviteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(tenant_a):
    with scopes_disabled():
        mine = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, title="Mine")
        InviteeFactory(meeting=mine, user=tenant_a.headteacher, school=tenant_a.schools[0])
        cancelled = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            title="Called off",
            status=Meeting.Status.CANCELLED,
            sequence=2,
        )
        InviteeFactory(meeting=cancelled, user=tenant_a.headteacher, school=tenant_a.schools[0])
        other = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, title="Not mine")
    return mine, cancelled, other


def feed_url(tenant, token):
    return reverse("meetings:feed", kwargs={"partnership_slug": tenant.slug, "token": token})


def events(response) -> dict[str, icalendar.Event]:
    assert response["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.content)
    assert str(parsed["METHOD"]) == "PUBLISH"
    return {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}


def test_a_personal_link_shows_the_meetings_one_is_invited_to_without_signing_in(tenant_a, meetings, client_for):
    mine, cancelled, _ = meetings
    client = client_for(tenant_a.headteacher)
    response = client.post(reverse("meetings:calendar_link", kwargs={"partnership_slug": tenant_a.slug}), follow=True)
    page = response.content.decode()
    token = page.split("/meetings/calendar/")[1].split(".ics")[0]
    with scopes_disabled():
        stored = CalendarFeed.objects.get(user=tenant_a.headteacher)
    assert token not in stored.token_hash and len(stored.token_hash) == 64  # only the hash is kept
    found = events(Client().get(feed_url(tenant_a, token)))  # a calendar program, not signed in
    assert set(found) == {"Mine", "Called off"}
    assert str(found["Mine"]["UID"]) == mine.uid  # the same UID as the invitations
    assert (str(found["Called off"]["STATUS"]), int(found["Called off"]["SEQUENCE"])) == ("CANCELLED", 2)


def test_a_new_link_stops_the_old_one_and_stopping_leaves_none(tenant_a, meetings, client_for):
    with scope(partnership=tenant_a.partnership):
        first = calendar_link_create(actor=tenant_a.headteacher, partnership=tenant_a.partnership)
        second = calendar_link_create(actor=tenant_a.headteacher, partnership=tenant_a.partnership)
    anonymous = Client()
    assert anonymous.get(feed_url(tenant_a, first)).status_code == 404
    assert anonymous.get(feed_url(tenant_a, second)).status_code == 200
    client = client_for(tenant_a.headteacher)
    client.post(reverse("meetings:calendar_stop", kwargs={"partnership_slug": tenant_a.slug}))
    assert anonymous.get(feed_url(tenant_a, second)).status_code == 404
    again = client.post(reverse("meetings:calendar_stop", kwargs={"partnership_slug": tenant_a.slug}))
    assert again.status_code == 400 and "no calendar link to stop" in again.content.decode()


def test_a_link_dies_with_its_holders_role(tenant_a, meetings):
    with scope(partnership=tenant_a.partnership):
        token = calendar_link_create(actor=tenant_a.headteacher, partnership=tenant_a.partnership)
    assert Client().get(feed_url(tenant_a, token)).status_code == 200
    with scopes_disabled():
        tenant_a.role.end = timezone.localdate() - datetime.timedelta(days=1)
        tenant_a.role.save()
    assert Client().get(feed_url(tenant_a, token)).status_code == 404


def test_another_partnerships_token_is_not_found_under_this_slug(tenant_a, tenant_b, meetings):
    with scope(partnership=tenant_b.partnership):
        token = calendar_link_create(actor=tenant_b.headteacher, partnership=tenant_b.partnership)
    assert Client().get(feed_url(tenant_a, token)).status_code == 404
    assert Client().get(feed_url(tenant_b, token)).status_code == 200


def test_the_partnership_calendar_has_every_meeting(tenant_a, meetings, client_for):
    response = client_for(tenant_a.headteacher).get(
        reverse("meetings:partnership_ics", kwargs={"partnership_slug": tenant_a.slug})
    )
    assert set(events(response)) == {"Mine", "Called off", "Not mine"}
