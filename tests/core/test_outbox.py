"""The email outbox: one row per message, sent after commit over real SMTP, swept when left behind."""

import copy
import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import STUCK_AFTER, SWEEP_GRACE, outbox_enqueue, outbox_sweep

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
    assert (message.state, message.attempts) == (OutboxMessage.State.QUEUED, 1)
    assert message.last_error
    smtp_server.start()
    assert outbox_sweep(now=timezone.now()) == 0, "a message younger than the grace period is left alone"
    assert outbox_sweep(now=timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=1)) == 1
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
    later = timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=1)
    assert outbox_sweep(now=later) == 0
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, MAX_ATTEMPTS)
    smtp_server.start()
    assert outbox_sweep(now=later) == 0
    assert smtp_server.messages == []
