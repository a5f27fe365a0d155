"""Meetings as iCalendar objects (RFC 5545), as invitations (RFC 5546 iTIP, sent by email per RFC 6047).

One UID per meeting for ever; every change a calendar should show goes out with a higher SEQUENCE. A
change is a REQUEST with the same UID; a cancellation is a CANCEL with STATUS:CANCELLED (a REQUEST that
says cancelled leaves the event in Google Calendar). Times carry TZID=Europe/London with its VTIMEZONE,
so British Summer Time is right. Replies come through Commonroom, not by calendar: RSVP=FALSE.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from meetings.models import Meeting

PRODID = "-//Commonroom//Meetings//EN"
LONDON = zoneinfo.ZoneInfo("Europe/London")

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    address.params.update(params)
    return address


def _event(meeting: Meeting, *, cancelled: bool, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts.astimezone(LONDON))
    event.add("dtend", meeting.ends.astimezone(LONDON))
    event.add("summary", meeting.title)
    if meeting.venue:
        event.add("location", meeting.venue)
    url = f"{settings.SITE_URL}/p/{meeting.partnership.slug}/meetings/{meeting.pk}/"
    event.add("url", url)
    event.add(
        "description", f"{meeting.get_kind_display()} of {meeting.partnership.name}.\n\nDetails and answers: {url}"
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _address(meeting.organiser.email, meeting.organiser.full_name or meeting.organiser.email))
    return event


def _calendar(method: str, events: list[Event]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    if events:
        # The time zone's rules for the span the events cover (and a year either side), not since 1970.
        starts = [e.decoded("dtstart") for e in events]
        calendar.add_missing_timezones(
            first_date=min(starts).date() - datetime.timedelta(days=366),
            last_date=max(starts).date() + datetime.timedelta(days=366),
        )
    return calendar


def invitation(meeting: Meeting, *, method: str, email: str, name: str, stamp: datetime.datetime | None = None) -> str:
    """The iCalendar text of one notice to one person: REQUEST (invite or change) or CANCEL."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"An invitation is a REQUEST or a CANCEL, not {method}")
    event = _event(meeting, cancelled=method == CANCEL, stamp=stamp or timezone.now())
    role = "CHAIR" if meeting.chair_id and meeting.chair.email == email else "REQ-PARTICIPANT"
    event.add("attendee", _address(email, name, ROLE=role, PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    return _calendar(method, [event]).to_ical().decode()


def feed(meetings: list[Meeting], *, stamp: datetime.datetime | None = None) -> str:
    """A calendar to subscribe to (METHOD:PUBLISH), with the same UIDs as the invitations."""
    stamp = stamp or timezone.now()
    return _calendar(PUBLISH, [_event(m, cancelled=m.is_cancelled, stamp=stamp) for m in meetings]).to_ical().decode()
