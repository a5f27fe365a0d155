"""The pages of a series (the form, its dates to check, the meetings made), the list's warning, the
month calendar, and a failed notice sent again or a notice printed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.models import OutboxMessage
from core.outbox import outbox_requeue
from core.testing import assert_constant_queries
from meetings.models import Meeting
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import Constitution
from schools.models import Person
from tests.factories.meetings import InviteeFactory, MeetingFactory
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db
NEXT_YEAR = academic_year_of(timezone.localdate()) + 1  # its term dates are saved with the partnership


def url(tenant, name="list", **kwargs):
    return reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant.slug, **kwargs})


def series_data(tenant, **overrides) -> dict:
    return {
        "academic_year": str(NEXT_YEAR),
        "kind": "partnership",
        "group": "",
        "title": "Partnership meeting",
        "weekday": "1",
        "week": "3",
        "start_time": "16:00",
        "end_time": "17:30",
        "venue_school": str(tenant.schools[0].pk),
        "venue_address": "",
        "online_link": "",
        "chair": "",
        "note_taker": "",
        "strategy_before": "on",
        "strategy_days_before": "7",
        "strategy_start_time": "15:00",
        "strategy_end_time": "16:00",
        "short_notice_reason": "",
    } | overrides


def test_the_coordinator_checks_the_dates_then_schedules_the_series(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    assert client.get(url(tenant_a, "series")).status_code == 200
    check = client.post(url(tenant_a, "series"), series_data(tenant_a))
    assert check.status_code == 200
    page = check.content.decode()
    assert "Meetings to schedule (12)" in page
    assert "Strategy group meeting, Autumn 1" in page and "Partnership meeting, Summer 2" in page
    with scopes_disabled():
        assert not Meeting.objects.exists()  # checking writes nothing

    # Back to the form, filled in as it was.
    back = client.post(url(tenant_a, "series"), series_data(tenant_a) | {"change": "1"})
    assert back.status_code == 200
    assert 'value="15:00"' in back.content.decode()

    done = client.post(url(tenant_a, "series"), series_data(tenant_a) | {"confirm": "1"})
    assert done.status_code == 302 and done.url == url(tenant_a)
    with scopes_disabled():
        assert Meeting.objects.filter(kind="partnership").count() == 6
        assert Meeting.objects.filter(kind="strategy").count() == 6
    listing = client.get(done.url).content.decode()
    assert f"12 meetings scheduled for {academic_year_label(NEXT_YEAR)}" in listing


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"academic_year": "1999"}, "academic_year", "Choose one of the academic years"),
        ({"weekday": "5"}, "weekday", "Monday to Friday"),
        ({"week": "nine"}, "week", "as a number"),
        ({"week": "9"}, "week", "between 1 and 8"),
        ({"start_time": "4pm"}, "start_time", "like 16:00"),
        ({"end_time": "15:00"}, "end_time", "must end after they start"),
        ({"strategy_end_time": "14:00"}, "strategy_end_time", "must end after it starts"),
        ({"strategy_start_time": ""}, "strategy_start_time", "strategy group meeting starts"),
        ({"kind": "strategy"}, "strategy_before", "before partnership meetings only"),
        ({"venue_school": ""}, "venue_school", "Say where the meeting is"),
    ],
)
def test_bad_input_gets_a_message_by_the_field_and_changes_nothing(tenant_a, client_for, overrides, field, words):
    client = client_for(tenant_a.coordinator)
    for extra in ({}, {"confirm": "1"}):
        response = client.post(url(tenant_a, "series"), series_data(tenant_a, **overrides) | extra)
        assert response.status_code == 400
        assert words in " ".join(response.context["form"].errors[field])
    with scopes_disabled():
        assert not Meeting.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="meeting.").exists()


def test_only_the_coordinator_schedules_a_series(tenant_a, client_for):
    client = client_for(tenant_a.headteacher)
    assert client.get(url(tenant_a, "series")).status_code == 403
    assert client.post(url(tenant_a, "series"), series_data(tenant_a) | {"confirm": "1"}).status_code == 403
    with scopes_disabled():
        assert not Meeting.objects.exists()


def test_the_list_warns_when_the_year_has_too_few_partnership_meetings(tenant_a, client_for):
    client = client_for(tenant_a.headteacher)
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(min_meetings_per_year=None)
    assert "govuk-warning-text" not in client.get(url(tenant_a)).content.decode()  # no minimum set
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(min_meetings_per_year=6)
        MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
    page = client.get(url(tenant_a)).content.decode()
    assert "govuk-warning-text" in page
    year = academic_year_label(academic_year_of(timezone.localdate()))
    assert f"Only 1 partnership meeting is scheduled for {year}" in page
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(min_meetings_per_year=1)
    assert "govuk-warning-text" not in client.get(url(tenant_a)).content.decode()


# --- The month calendar -------------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def test_the_month_shows_each_meeting_on_its_day_with_links_to_the_months_around(tenant_a, client_for):
    with scopes_disabled():
        held = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            title="Autumn review",
            starts=_at(datetime.date(2026, 12, 8), 16),
            ends=_at(datetime.date(2026, 12, 8), 17),
        )
        MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            title="Next year",
            starts=_at(datetime.date(2027, 1, 12), 16),
            ends=_at(datetime.date(2027, 1, 12), 17),
        )
    response = client_for(tenant_a.headteacher).get(url(tenant_a, "month", year=2026, month=12))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-xl">December 2026</h1>' in page
    assert f'href="{url(tenant_a, "detail", meeting_pk=held.pk)}">16:00 Autumn review</a>' in page
    assert "Next year" not in page  # January's
    assert 'data-label="Tuesday 8 December"' in page
    assert url(tenant_a, "month", year=2026, month=11) in page
    assert url(tenant_a, "month", year=2027, month=1) in page
    assert '<th scope="col"' in page and "<caption" in page


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (1999, 5), (2101, 1)])
def test_a_month_that_does_not_exist_is_not_found(tenant_a, client_for, year, month):
    assert client_for(tenant_a.headteacher).get(url(tenant_a, "month", year=year, month=month)).status_code == 404


def test_the_month_takes_the_same_queries_for_10_meetings_as_for_200(tenant_a, client_for):
    first = datetime.date(2026, 12, 1)

    def meetings(count, start=0):
        for n in range(start, start + count):
            day = first + datetime.timedelta(days=n % 31)
            MeetingFactory(
                partnership=tenant_a.partnership,
                organiser=tenant_a.coordinator,
                title=f"Meeting {n}",
                venue_school=tenant_a.schools[n % 2],
                starts=_at(day, 9 + n % 8),
                ends=_at(day, 10 + n % 8),
            )

    with scopes_disabled():
        meetings(10)
    assert_constant_queries(
        client_for(tenant_a.headteacher),
        url(tenant_a, "month", year=2026, month=12),
        grow=lambda: meetings(190, start=10),
        at_most=12,
    )


# --- Notices: sending a failed one again, and printing one --------------------------------------------------


@pytest.fixture
def failed(tenant_a, client_for):
    """The headteacher's invitation to a meeting, refused by the mail server."""
    from meetings.services.scheduling import meeting_schedule

    starts = _at(timezone.localdate() + datetime.timedelta(days=30), 16)
    with scopes_disabled():
        meeting = meeting_schedule(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            kind="partnership",
            title="Partnership meeting",
            starts=starts,
            ends=starts + datetime.timedelta(hours=1),
            venue_school=tenant_a.schools[0],
        )
        notice = OutboxMessage.objects.get(recipient=tenant_a.headteacher.email.lower())
        OutboxMessage.objects.filter(pk=notice.pk).update(
            state="failed", attempts=8, last_error="SMTPRecipientsRefused: 550 No such mailbox"
        )
        return meeting, meeting.invitees.get(user=tenant_a.headteacher), notice


def test_outbox_requeue_queues_only_a_failed_message_again(failed, mailoutbox, django_capture_on_commit_callbacks):
    _meeting, _invitee, notice = failed
    mailoutbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_requeue(notice.pk) is True
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("queued", 0)
    assert outbox_requeue(notice.pk) is False  # not failed now
    assert not mailoutbox  # sent only once the transaction commits
    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [[notice.recipient]]


def test_the_coordinator_sends_a_failed_notice_again(
    tenant_a, client_for, failed, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, invitee, notice = failed
    client = client_for(tenant_a.coordinator)
    detail = client.get(url(tenant_a, "detail", meeting_pk=meeting.pk)).content.decode()
    resend = url(tenant_a, "notice_resend", invitee_pk=invitee.pk)
    assert resend in detail
    page = client.get(resend)
    assert page.status_code == 200 and "550 No such mailbox" in page.content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "sent"  # tasks run at once without a broker
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [notice.message_id]  # the same message
    with scopes_disabled():
        row = AuditEvent.objects.get(action="meeting.notice_resent")
    assert row.actor == tenant_a.coordinator and row.data["message"] == notice.pk
    # Nothing more to send again.
    again = client.post(resend)
    assert again.status_code == 400
    assert "has not failed" in again.content.decode()


def test_only_the_coordinator_sends_a_notice_again(tenant_a, client_for, failed):
    _meeting, invitee, notice = failed
    response = client_for(tenant_a.headteacher).post(url(tenant_a, "notice_resend", invitee_pk=invitee.pk))
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.state == "failed"


def test_someone_without_email_gets_a_printed_notice(tenant_a, client_for):
    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            venue_school=tenant_a.schools[0],
            short_notice_reason="The budget must be agreed this month",
        )
        person = PersonFactory(
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            email="",
            position=Person.Position.DEPUTY_HEAD,
            full_name="Pat Jones",
        )
        invitee = InviteeFactory(meeting=meeting, person=person, school=tenant_a.schools[0])
    client = client_for(tenant_a.coordinator)
    printable = url(tenant_a, "notice_print", invitee_pk=invitee.pk)
    assert printable in client.get(url(tenant_a, "detail", meeting_pk=meeting.pk)).content.decode()
    page = client.get(printable).content.decode()
    assert "To Pat Jones" in page
    assert tenant_a.schools[0].name in page
    assert "The budget must be agreed this month" in page
    assert f"{url(tenant_a, 'detail', meeting_pk=meeting.pk)}#agenda" in page
    assert "css/meetings.css" in page  # with its print styles
    assert client_for(tenant_a.headteacher).get(printable).status_code == 403
