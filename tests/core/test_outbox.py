"""The email outbox: one row per message, sent after commit over real SMTP, swept when left behind."""

import copy
import datetime

import icalendar
import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import LONGEST_RETRY, STUCK_AFTER, SWEEP_GRACE, outbox_enqueue, outbox_sweep, retry_delay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "testmail"
    folder.mkdir()
    (folder / "hello.txt").write_text(
        '{% extends "email/base.txt" %}{% block content %}Dear {{ name }},\n\nThe meeting is on Tuesday.{% endblock %}'
    )
    (folder / "hello.html").write_text(
        '{% extends "email/base.html" %}{% block content %}<p>Dear {{ name }},</p>'
        "<p>The meeting is on Tuesday.</p>{% endblock %}"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates


def enqueue(**overrides):
    values = {
        "about": "meeting:1",
        "kind": "meeting.notice",
        "recipient": "Head@School.example",
        "template": "testmail/hello",
        "context": {"name": "Sam"},
        "subject": "Partnership meeting on Tuesday",
    }
    return outbox_enqueue(**(values | overrides))


def test_a_message_is_sent_after_commit_with_a_text_and_an_html_part(email_templates, smtp_server):
    with transaction.atomic():
        message = enqueue()
        assert smtp_server.messages == [], "nothing is sent before the transaction commits"
    [received] = smtp_server.messages
    assert received["To"] == "head@school.example"
    assert received["Subject"] == "Partnership meeting on Tuesday"
    assert "Commonroom" in received["From"]
    assert received["Message-ID"] == message.message_id
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Dear Sam," in text and "The meeting is on Tuesday." in text and "Commonroom" in text
    assert "<p>Dear Sam,</p>" in html and 'lang="en-GB"' in html
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.SENT, 1)
    assert message.sent_at is not None


def test_the_same_message_is_queued_and_sent_once(email_templates, smtp_server):
    first = enqueue()
    second = enqueue()
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_a_new_version_is_a_new_message_with_its_own_message_id(email_templates, smtp_server):
    first = enqueue(version=1)
    second = enqueue(version=2)
    assert first.message_id != second.message_id
    assert [m["Message-ID"] for m in smtp_server.messages] == [first.message_id, second.message_id]


def test_a_rolled_back_change_sends_nothing(email_templates, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the change that caused the email failed")
    assert OutboxMessage.objects.count() == 0
    assert smtp_server.messages == []


def test_while_smtp_is_down_the_message_waits_and_the_sweep_sends_it_with_the_same_message_id(
    email_templates, smtp_server
):
    smtp_server.stop()
    message = enqueue()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.RETRY, 1)
    assert message.last_error
    smtp_server.start()
    assert outbox_sweep(now=timezone.now()) == 0, "a message is not tried again before its pause is over"
    assert outbox_sweep(now=message.next_attempt_at) == 1
    [received] = smtp_server.messages
    assert received["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (OutboxMessage.State.SENT, 2, "")


def test_a_message_stuck_in_flight_is_sent_again_by_the_sweep(email_templates, smtp_server):
    smtp_server.stop()
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.IN_FLIGHT, in_flight_since=timezone.now()
    )
    smtp_server.start()
    assert outbox_sweep(now=timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=1)) == 0
    assert outbox_sweep(now=timezone.now() + STUCK_AFTER + datetime.timedelta(seconds=1)) == 1
    assert len(smtp_server.messages) == 1


def test_a_sent_message_is_not_sent_again(email_templates, smtp_server):
    from core.tasks import send_outbox_message

    message = enqueue()
    assert send_outbox_message(message.pk) is False
    assert len(smtp_server.messages) == 1


def test_after_the_last_attempt_a_message_is_marked_failed_and_left_alone(email_templates, smtp_server, settings):
    from core.outbox import MAX_ATTEMPTS

    smtp_server.stop()
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    later = timezone.now() + LONGEST_RETRY
    assert outbox_sweep(now=later) == 0
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, MAX_ATTEMPTS)
    smtp_server.start()
    assert outbox_sweep(now=later) == 0
    assert smtp_server.messages == []


def test_a_temporary_refusal_waits_with_a_growing_pause_and_then_sends_the_same_message(email_templates, smtp_server):
    smtp_server.refuse("421 4.3.2 Service busy, try again later", times=2)
    message = enqueue()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.RETRY, 1)
    assert "421" in message.last_error
    first_pause = message.next_attempt_at
    assert outbox_sweep(now=first_pause - datetime.timedelta(seconds=1)) == 0
    assert outbox_sweep(now=first_pause) == 0, "the second try is refused too"
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.RETRY, 2)
    assert message.next_attempt_at - timezone.now() > retry_delay(1), "the pause grows"
    assert outbox_sweep(now=message.next_attempt_at) == 1
    [received] = smtp_server.messages
    assert received["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == (OutboxMessage.State.SENT, 3, None)


def test_a_permanent_refusal_fails_at_once_and_is_never_tried_again(email_templates, smtp_server):
    smtp_server.refuse("550 5.1.1 No such mailbox")
    message = enqueue()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, 1)
    assert "550" in message.last_error
    assert outbox_sweep(now=timezone.now() + LONGEST_RETRY * 10) == 0
    assert smtp_server.messages == []


def test_the_pause_between_tries_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_a_send_is_only_thought_cut_off_long_after_the_smtp_timeout():
    assert STUCK_AFTER > datetime.timedelta(seconds=django_settings.EMAIL_TIMEOUT * 4)


CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Commonroom//Meetings//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:meeting-1@commonroom.localhost\r\nSEQUENCE:0\r\nDTSTAMP:20261130T120000Z\r\n"
    "DTSTART:20261208T160000Z\r\nDTEND:20261208T173000Z\r\nSUMMARY:Partnership meeting\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_calendar_goes_as_an_alternative_with_a_matching_method_and_as_an_ics_attachment(
    email_templates, smtp_server
):
    enqueue(calendar=CALENDAR)
    [received] = smtp_server.messages
    assert received.get_content_type() == "multipart/mixed"
    alternative, attachment = received.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.iter_parts()
    assert [plain.get_content_type(), html.get_content_type()] == ["text/plain", "text/html"]
    assert calendar.get_content_type() == "text/calendar"
    parsed = icalendar.Calendar.from_ical(calendar.get_content())
    assert calendar.get_param("method") == str(parsed["METHOD"]) == "REQUEST"
    [event] = parsed.walk("VEVENT")
    assert str(event["UID"]) == "meeting-1@commonroom.localhost"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"
    assert icalendar.Calendar.from_ical(attachment.get_content()) == parsed


def test_a_calendar_without_a_method_is_refused_before_it_is_queued(email_templates, smtp_server):
    with pytest.raises(ValueError, match="METHOD"):
        enqueue(calendar=CALENDAR.replace("METHOD:REQUEST\r\n", ""))
    assert OutboxMessage.objects.count() == 0
    assert smtp_server.messages == []


def test_once_the_broker_cannot_take_a_task_the_next_messages_wait_for_the_sweep_without_asking_it(
    email_templates, monkeypatch
):
    """Each try costs most of a second when Redis is down: a meeting for a hundred people must not keep
    its coordinator waiting for a hundred of them."""
    import time
    from types import SimpleNamespace

    import core.outbox

    asked = []

    def broker_down(message_id):
        asked.append(message_id)
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("core.tasks.send_outbox_message", SimpleNamespace(delay=broker_down))
    monkeypatch.setattr(core.outbox, "_broker_down_until", 0.0)
    with transaction.atomic():
        for n in range(5):
            enqueue(recipient=f"head{n}@school.example")
    assert len(asked) == 1
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.QUEUED}
    monkeypatch.setattr(core.outbox, "_broker_down_until", time.monotonic() - 1)  # the pause is over
    enqueue(recipient="head9@school.example")
    assert len(asked) == 2
