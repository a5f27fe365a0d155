"""Scheduling a meeting: who it invites, the notice rule in clear days, and the notices that go out,
read back over real SMTP with Python's email parser and the icalendar library."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.models import OutboxMessage
from meetings.models import Meeting
from meetings.selectors import DEFAULT_NOTICE_DAYS, clear_days, notice_check
from meetings.services.scheduling import (
    meeting_cancel,
    meeting_change,
    meeting_invitee_add,
    meeting_invitee_remove,
    meeting_schedule,
)
from partnerships.models import Constitution
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def set_notice(tenant, days):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant.partnership).update(notice_days=days)


def schedule(tenant, *, day=datetime.date(2026, 12, 15), **overrides):
    values = {
        "actor": tenant.coordinator,
        "partnership": tenant.partnership,
        "kind": Meeting.Kind.PARTNERSHIP,
        "title": "Partnership meeting",
        "starts": at(day, 16),
        "ends": at(day, 17, 30),
        "venue_school": tenant.schools[0],
        "now": NOW,
    }
    with scope(partnership=tenant.partnership):
        return meeting_schedule(**(values | overrides))


def calendars(message):
    """The text/calendar alternative and the invite.ics attachment of one received email, parsed."""
    alternative, attachment = message.iter_parts()
    part = next(p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar")
    return (
        part,
        icalendar.Calendar.from_ical(part.get_content()),
        icalendar.Calendar.from_ical(attachment.get_content()),
    )


def test_clear_days_count_neither_the_day_of_sending_nor_the_day_of_the_meeting():
    monday, thursday = datetime.date(2026, 11, 30), datetime.date(2026, 12, 3)
    assert clear_days(monday, thursday) == 2
    assert clear_days(monday, monday + datetime.timedelta(days=8)) == 7
    assert clear_days(monday, monday + datetime.timedelta(days=1)) == 0


def test_the_notice_rule_refuses_only_when_the_agreement_sets_a_period(tenant_a):
    constitution = Constitution(notice_days=7)
    short = notice_check(constitution=constitution, sent_on=NOW.date(), meeting_on=datetime.date(2026, 12, 7))
    assert (short.clear_days, short.needs_reason, short.is_short) == (6, True, True)
    enough = notice_check(constitution=constitution, sent_on=NOW.date(), meeting_on=datetime.date(2026, 12, 8))
    assert (enough.clear_days, enough.needs_reason, enough.is_short) == (7, False, False)
    silent = notice_check(
        constitution=Constitution(notice_days=None), sent_on=NOW.date(), meeting_on=datetime.date(2026, 12, 2)
    )
    assert silent.agreement_is_silent and silent.is_short and not silent.needs_reason
    assert silent.expected_days == DEFAULT_NOTICE_DAYS
    assert "sets no notice period" in silent.explanation()


def test_a_partnership_meeting_invites_the_headteachers_of_member_schools_and_the_coordinator(
    tenant_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(tenant_a)
    with scopes_disabled():
        invited = {(i.user_id, i.school_id) for i in meeting.invitees.all()}
    # The former headteacher's role ended in 2023: not invited.
    assert invited == {(tenant_a.coordinator.pk, None), (tenant_a.headteacher.pk, tenant_a.schools[0].pk)}
    received = {m["To"]: m for m in smtp_server.messages}
    assert sorted(received) == sorted([tenant_a.coordinator.email, tenant_a.headteacher.email])
    head = received[tenant_a.headteacher.email]
    assert head["Subject"] == "Invitation: Partnership meeting, Tuesday 15 December 2026, 4pm to 5:30pm"
    text = head.get_body(preferencelist=("plain",)).get_content()
    assert f"Dear {tenant_a.headteacher.full_name}," in text
    assert tenant_a.schools[0].name in text and f"/p/{tenant_a.slug}/meetings/{meeting.pk}/" in text
    part, alternative, attached = calendars(head)
    assert part.get_param("method") == str(alternative["METHOD"]) == "REQUEST"
    assert alternative == attached
    [event] = alternative.walk("VEVENT")
    assert str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == at(datetime.date(2026, 12, 15), 16)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert [str(tz["TZID"]) for tz in alternative.walk("VTIMEZONE")] == ["Europe/London"]
    assert event.decoded("DTSTAMP").tzinfo is not None and event.decoded("DTSTAMP").utcoffset() == datetime.timedelta(0)
    assert str(event["ORGANIZER"]) == f"mailto:{tenant_a.coordinator.email}"
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{tenant_a.headteacher.email}"
    assert (attendee.params["PARTSTAT"], attendee.params["RSVP"], attendee.params["ROLE"]) == (
        "NEEDS-ACTION",
        "FALSE",
        "REQ-PARTICIPANT",
    )
    assert str(event["STATUS"]) == "CONFIRMED"


def test_summer_time_is_right_in_the_invitation(tenant_a, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(tenant_a, day=datetime.date(2027, 6, 8))
    _, parsed, _ = calendars(smtp_server.messages[0])
    [event] = parsed.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(datetime.UTC).hour == 15  # 4pm BST is 3pm UTC


def test_inside_the_agreements_notice_period_a_meeting_needs_the_reason_it_is_urgent(
    tenant_a, smtp_server, django_capture_on_commit_callbacks
):
    set_notice(tenant_a, 7)
    with pytest.raises(ValidationError) as refused:
        schedule(tenant_a, day=datetime.date(2026, 12, 4))
    assert "3 clear days" in refused.value.message_dict["short_notice_reason"][0]
    assert "asks for 7 clear days" in refused.value.message_dict["short_notice_reason"][0]
    with scopes_disabled():
        assert not Meeting.objects.exists() and not OutboxMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(
            tenant_a, day=datetime.date(2026, 12, 4), short_notice_reason="The budget must be set by Friday"
        )
    assert meeting.short_notice_reason == "The budget must be set by Friday"
    text = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "called at short notice. The reason: The budget must be set by Friday" in text
    with scopes_disabled():
        event = AuditEvent.objects.get(action="meeting.scheduled")
    assert event.data["short_notice_reason"] == "The budget must be set by Friday"


def test_where_the_agreement_sets_no_notice_period_nothing_is_refused(tenant_a):
    set_notice(tenant_a, None)
    meeting = schedule(tenant_a, day=datetime.date(2026, 12, 1))
    assert meeting.pk and meeting.short_notice_reason == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends": at(datetime.date(2026, 12, 15), 15)}, "ends"),
        ({"starts": at(datetime.date(2026, 11, 29), 16), "ends": at(datetime.date(2026, 11, 29), 17)}, "starts"),
        ({"venue_school": None}, "venue_school"),
        ({"kind": Meeting.Kind.GROUP}, "group"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_details_are_refused_by_field_and_change_nothing(tenant_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        schedule(tenant_a, **overrides)
    assert field in refused.value.message_dict
    with scopes_disabled():
        assert not Meeting.objects.exists() and not OutboxMessage.objects.exists()


def test_a_school_that_is_not_a_member_cannot_host(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as refused:
        schedule(tenant_a, venue_school=tenant_b.schools[0])
    assert "not a member school" in refused.value.message_dict["venue_school"][0]


def test_moving_a_meeting_updates_the_same_calendar_entry_with_a_higher_sequence(
    tenant_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(tenant_a)
    smtp_server.messages.clear()
    new_day = datetime.date(2026, 12, 16)
    with django_capture_on_commit_callbacks(execute=True), scope(partnership=tenant_a.partnership):
        meeting_change(
            actor=tenant_a.coordinator,
            meeting=meeting,
            title=meeting.title,
            starts=at(new_day, 16),
            ends=at(new_day, 17),
            venue_school=meeting.venue_school,
            now=NOW,
        )
    assert len(smtp_server.messages) == 2
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Changed: Partnership meeting, Wednesday 16 December 2026")
    part, parsed, _ = calendars(message)
    assert part.get_param("method") == str(parsed["METHOD"]) == "REQUEST"
    [event] = parsed.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting.uid, 1)
    assert event.decoded("DTSTART") == at(new_day, 16)


def test_changing_only_the_note_taker_sends_no_calendar_update(
    tenant_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(tenant_a)
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True), scope(partnership=tenant_a.partnership):
        changed = meeting_change(
            actor=tenant_a.coordinator,
            meeting=meeting,
            title=meeting.title,
            starts=meeting.starts,
            ends=meeting.ends,
            venue_school=meeting.venue_school,
            note_taker=tenant_a.coordinator,
            now=NOW,
        )
    assert changed.note_taker == tenant_a.coordinator and changed.sequence == 0
    assert smtp_server.messages == []


def test_a_cancellation_is_a_cancel_with_the_same_uid_a_higher_sequence_and_cancelled_status(
    tenant_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(tenant_a)
    smtp_server.messages.clear()
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError) as refused:
            meeting_cancel(actor=tenant_a.coordinator, meeting=meeting, reason=" ")
        assert "reason" in refused.value.message_dict
        with django_capture_on_commit_callbacks(execute=True):
            meeting_cancel(actor=tenant_a.coordinator, meeting=meeting, reason="Snow has closed the schools")
    assert len(smtp_server.messages) == 2
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Cancelled: Partnership meeting")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "has been cancelled" in text and "Snow has closed the schools" in text
    part, parsed, attached = calendars(message)
    assert part.get_param("method") == str(parsed["METHOD"]) == str(attached["METHOD"]) == "CANCEL"
    [event] = parsed.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (meeting.uid, 1, "CANCELLED")
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError):
        meeting_cancel(actor=tenant_a.coordinator, meeting=meeting, reason="Twice")


def test_someone_taken_off_gets_the_cancel_and_someone_added_gets_the_request(
    tenant_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(tenant_a)
    deputy = UserFactory(full_name="Dana Deputy")
    give_role(deputy, tenant_a.partnership, Role.DEPUTY, tenant_a.schools[0])
    smtp_server.messages.clear()
    with scope(partnership=tenant_a.partnership):
        head = meeting.invitees.get(user=tenant_a.headteacher)
        with django_capture_on_commit_callbacks(execute=True):
            meeting_invitee_remove(actor=tenant_a.coordinator, invitee=head)
            added = meeting_invitee_add(actor=tenant_a.coordinator, meeting=meeting, user=deputy)
        assert added.school == tenant_a.schools[0] and added.added_by_hand
        with pytest.raises(ValidationError) as refused:
            meeting_invitee_add(actor=tenant_a.coordinator, meeting=meeting, user=deputy)
        assert "already invited" in refused.value.message_dict["user"][0]
        outsider = UserFactory()
        with pytest.raises(ValidationError) as refused:
            meeting_invitee_add(actor=tenant_a.coordinator, meeting=meeting, user=outsider)
        assert "no role in the partnership" in refused.value.message_dict["user"][0]
    removed, invited = smtp_server.messages
    assert removed["To"] == tenant_a.headteacher.email
    _, cancel, _ = calendars(removed)
    assert str(cancel["METHOD"]) == "CANCEL"
    assert "no longer invited" in removed.get_body(preferencelist=("plain",)).get_content()
    assert invited["To"] == deputy.email
    _, request, _ = calendars(invited)
    [removed_event], [added_event] = cancel.walk("VEVENT"), request.walk("VEVENT")
    assert str(request["METHOD"]) == "REQUEST"
    assert str(removed_event["UID"]) == str(added_event["UID"]) == meeting.uid
    assert int(added_event["SEQUENCE"]) > int(removed_event["SEQUENCE"]) > 0


def test_each_change_is_audited(tenant_a):
    meeting = schedule(tenant_a)
    with scope(partnership=tenant_a.partnership):
        meeting_cancel(actor=tenant_a.coordinator, meeting=meeting, reason="No longer needed")
    with scopes_disabled():
        actions = list(AuditEvent.objects.filter(action__startswith="meeting.").values_list("action", flat=True))
    assert sorted(actions) == ["meeting.cancelled", "meeting.scheduled"]


def test_the_start_is_shown_in_uk_time(tenant_a):
    meeting = schedule(tenant_a)
    assert timezone.localtime(meeting.starts).hour == 16
