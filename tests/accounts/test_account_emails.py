"""The sign-in library's emails go out through the outbox, in Commonroom's words, with both parts."""

import re

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def ask_for_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302


def test_a_password_reset_email_is_plain_english_with_a_text_and_an_html_part(
    client, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(email="head@school.example")
    ask_for_reset(client, user.email, django_capture_on_commit_callbacks)
    [received] = smtp_server.messages
    assert received["Subject"] == "[Commonroom] Reset your password"
    assert received["To"] == "head@school.example"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "Hello from" not in body and "127.0.0.1:8000!" not in body and "example.com" not in body
        assert "Commonroom" in body
    assert "Someone asked to reset the password of the Commonroom account for head@school.example." in text
    link = re.search(r"(http://\S+/accounts/password/reset/key/\S+/)", text).group(1)
    assert link in html
    assert client.get(link.removeprefix("http://testserver")).status_code in (200, 302)
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


def test_a_reset_for_an_unknown_address_says_how_people_join_without_revealing_accounts(
    client, smtp_server, django_capture_on_commit_callbacks
):
    ask_for_reset(client, "nobody@school.example", django_capture_on_commit_callbacks)
    [received] = smtp_server.messages
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert "no Commonroom account uses this email address" in text
    assert "coordinator" in text
    assert "sign up" not in text.lower()
    assert received.get_body(preferencelist=("html",)) is not None
