"""How a leaving notice was given: a letter is attached to the notice; an email may have its copy attached."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import LeavingNotice, Membership
from partnerships.services.membership import leaving_notice_record
from tests.clock import on_day, roles_held_since
from tests.factories.partnerships import PDF, make_terms, upload

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 10)  # the spring term of 2025/26 in tests.factories.partnerships.TERM_DATES
SINCE = D(2020, 9, 1)


@pytest.fixture(autouse=True)
def _roles_held(tenant_a):
    roles_held_since(tenant_a.partnership, SINCE)


@pytest.fixture
def membership(tenant_a) -> Membership:
    make_terms(tenant_a.partnership)
    return Membership.objects.get(partnership=tenant_a.partnership, school=tenant_a.schools[0])


def post(tenant, client, membership, **data):
    values = {"received_on": "2026-01-07", "given_by": "Sam Patel, headteacher"} | data
    with on_day(TODAY):
        return client.post(f"/p/{tenant.slug}/membership/{membership.pk}/notice/", values)


def test_notice_by_email_is_recorded_without_an_attachment(tenant_a, membership, client_for):
    client = client_for(tenant_a.coordinator)
    response = post(tenant_a, client, membership, method="email")
    with scopes_disabled():
        notice = LeavingNotice.objects.get(membership=membership)
        event = AuditEvent.objects.get(action="membership.notice_received")
    assert response.status_code == 302
    assert notice.method == LeavingNotice.Method.EMAIL and not notice.letter
    assert event.data["method"] == "email" and event.data["letter"] is None
    assert " gave notice by email on 7 January 2026" in event.summary
    with on_day(TODAY):
        page = client.get(response["Location"]).content.decode()
    assert 'How it was given</dt><dd class="govuk-summary-list__value">Email</dd>' in page
    assert 'A copy of the email</dt><dd class="govuk-summary-list__value">Not attached</dd>' in page


def test_an_emails_copy_may_be_attached_and_downloaded(tenant_a, membership, client_for):
    client = client_for(tenant_a.coordinator)
    response = post(tenant_a, client, membership, method="email", letter=upload("email.pdf"))
    assert response.status_code == 302
    with on_day(TODAY):
        page = client.get(response["Location"]).content.decode()
    assert "Download the copy of the email" in page
    with scopes_disabled():
        notice = LeavingNotice.objects.get(membership=membership)
    download = client.get(f"/p/{tenant_a.slug}/membership/notices/{notice.pk}/letter/")
    assert b"".join(download.streaming_content) == PDF


def test_notice_by_letter_without_the_letter_is_refused_next_to_the_field(tenant_a, membership, client_for):
    response = post(tenant_a, client_for(tenant_a.coordinator), membership, method="letter")
    assert response.status_code == 400
    assert response.context["form"].errors["letter"] == [
        "Select the signed letter to attach. If the notice came by email, choose email instead"
    ]
    assert 'href="#id_letter"' in response.content.decode()
    with scopes_disabled():
        assert not LeavingNotice.objects.exists()
        membership.refresh_from_db()
    assert membership.left is None


def test_the_service_refuses_a_letter_without_the_letter(tenant_a, membership):
    with pytest.raises(ValidationError) as caught:
        leaving_notice_record(
            actor=tenant_a.coordinator,
            membership=membership,
            received_on=D(2026, 1, 7),
            method="letter",
            given_by="Sam Patel, headteacher",
            today=TODAY,
        )
    assert "Select the signed letter to attach" in caught.value.message_dict["letter"][0]
    with scopes_disabled():
        assert not LeavingNotice.objects.exists()


def test_the_form_asks_how_the_notice_was_given(tenant_a, membership, client_for):
    with on_day(TODAY):
        form = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/membership/{membership.pk}/notice/")
    body = form.content.decode()
    assert "How was the notice given?" in body
    assert 'type="radio" value="letter"' in body and 'type="radio" value="email"' in body
    assert "For notice by email a copy is optional" in body
