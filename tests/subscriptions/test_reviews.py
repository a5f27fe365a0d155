"""The Joint Annual Review: the adviser drafts and sends it, only the school's headteacher confirms or
returns it (with comments), the adviser revises and sends again, and only a confirmed review is
submitted; the history of states is kept; a review is 404 outside the school (other schools, other
advisers, partnership roles other than the coordinator); the list's queries do not grow."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.roles import Role
from subscriptions.models import Review, ReviewEvent
from subscriptions.services.reviews import review_confirm, review_return, review_submit
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import give_role, member_school_with_head
from tests.factories.visits import adviser_for, review_in

D = datetime.date
S = Review.State


def _url(tenant, review, tail: str = "") -> str:
    return f"/p/{tenant.slug}/subscriptions/reviews/{review.pk}/{tail}"


def _state(review) -> str:
    with scopes_disabled():
        review.refresh_from_db()
    return review.state


@pytest.mark.django_db
def test_drafted_sent_returned_revised_sent_confirmed_submitted_with_its_history(tenant_a):
    adviser = adviser_for(tenant_a)
    client, head = signed_in(adviser), signed_in(tenant_a.headteacher)
    new = f"/p/{tenant_a.slug}/subscriptions/reviews/new/"
    assert client.get(new).status_code == 200
    drafted = client.post(
        new, {"school": tenant_a.schools[0].pk, "term": "autumn", "summary": "Reading rose", "ks2": "78% (75%)"}
    )
    assert drafted.status_code == 302
    with scopes_disabled():
        review = Review.objects.get()
    assert (review.state, review.ks2) == (S.DRAFT, "78% (75%)")

    # Submitting a draft is refused with a message, and nothing changes.
    refused = client.post(_url(tenant_a, review, "submit/"))
    assert refused.status_code == 400
    assert "only a review the headteacher has confirmed is submitted" in refused.content.decode()
    assert _state(review) == S.DRAFT

    assert client.post(_url(tenant_a, review, "send/")).status_code == 302
    assert _state(review) == S.SENT
    # Returning needs comments.
    empty = head.post(_url(tenant_a, review, "return/"), {"comments": " "})
    assert empty.status_code == 400 and "Enter your comments" in empty.content.decode()
    assert _state(review) == S.SENT
    assert head.post(_url(tenant_a, review, "return/"), {"comments": "Add writing"}).status_code == 302
    assert _state(review) == S.RETURNED and review.head_comments == "Add writing"
    assert "Add writing" in client.get(_url(tenant_a, review, "edit/")).content.decode()
    revised = client.post(_url(tenant_a, review, "edit/"), {"summary": "Reading rose; writing is level"})
    assert revised.status_code == 302
    assert client.post(_url(tenant_a, review, "send/")).status_code == 302
    assert head.post(_url(tenant_a, review, "confirm/")).status_code == 302
    assert _state(review) == S.CONFIRMED
    # A confirmed review can no longer be revised.
    assert client.post(_url(tenant_a, review, "edit/"), {"summary": "Changed"}).status_code == 400
    assert client.post(_url(tenant_a, review, "submit/")).status_code == 302
    assert _state(review) == S.SUBMITTED

    with scopes_disabled():
        history = list(ReviewEvent.objects.filter(review=review).values_list("from_state", "to_state", "by", "comment"))
    a, h = adviser.pk, tenant_a.headteacher.pk
    assert history == [
        ("", S.DRAFT, a, ""),
        (S.DRAFT, S.SENT, a, ""),
        (S.SENT, S.RETURNED, h, "Add writing"),
        (S.RETURNED, S.SENT, a, ""),
        (S.SENT, S.CONFIRMED, h, ""),
        (S.CONFIRMED, S.SUBMITTED, a, ""),
    ]
    page = head.get(_url(tenant_a, review)).content.decode()
    assert "History" in page and "Add writing" in page and "Submitted" in page


@pytest.mark.django_db
def test_only_the_schools_headteacher_confirms_or_returns(tenant_a):
    review = review_in(tenant_a, S.SENT)
    school = tenant_a.schools[0]
    deputy, cog = UserFactory(), UserFactory()
    give_role(deputy, tenant_a.partnership, Role.DEPUTY, school)
    give_role(cog, tenant_a.partnership, Role.CHAIR_OF_GOVERNORS, school)
    _, other_head = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))
    for user in (deputy, cog, review.adviser, tenant_a.coordinator):
        with scopes_disabled(), pytest.raises(ValidationError, match="Only the headteacher of"):
            review_confirm(actor=user, review=review)
        with scopes_disabled(), pytest.raises(ValidationError, match="Only the headteacher of"):
            review_return(actor=user, review=review, comments="No")
        for tail in ("confirm/", "return/"):
            assert signed_in(user).post(_url(tenant_a, review, tail), {"comments": "No"}).status_code == 403
    with scopes_disabled(), pytest.raises(ValidationError, match="Only the headteacher of"):
        review_confirm(actor=other_head, review=review)
    assert signed_in(other_head).post(_url(tenant_a, review, "confirm/")).status_code == 404
    assert _state(review) == S.SENT


@pytest.mark.django_db
def test_an_unconfirmed_review_is_never_submitted(tenant_a):
    for state in (S.DRAFT, S.SENT, S.RETURNED):
        review = review_in(tenant_a, state, term={"draft": "autumn", "sent": "spring", "returned": "summer"}[state])
        with scopes_disabled(), pytest.raises(ValidationError, match="only a review the headteacher has confirmed"):
            review_submit(actor=review.adviser, review=review)
        assert _state(review) == state


@pytest.mark.django_db
def test_a_review_is_404_outside_its_school(tenant_a, tenant_b):
    review = review_in(tenant_a, S.SENT)
    other_school, other_head = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))
    chair = UserFactory()
    give_role(chair, tenant_a.partnership, Role.CHAIR)
    outsiders = [other_head, adviser_for(tenant_a, other_school, name="Other Adviser"), chair]
    for user in outsiders:
        client = signed_in(user)
        for tail in ("", "edit/", "send/", "confirm/", "return/", "submit/"):
            assert client.get(_url(tenant_a, review, tail)).status_code == 404, (user, tail)
            assert client.post(_url(tenant_a, review, tail)).status_code == 404, (user, tail)
        assert "Reading rose" not in client.get(f"/p/{tenant_a.slug}/subscriptions/reviews/").content.decode()
    assert signed_in(tenant_b.coordinator).get(_url(tenant_b, review)).status_code == 404
    for user in (tenant_a.headteacher, review.adviser, tenant_a.coordinator):
        assert signed_in(user).get(_url(tenant_a, review)).status_code == 200
    assert _state(review) == S.SENT


@pytest.mark.django_db
def test_the_list_runs_a_constant_number_of_queries(tenant_a):
    adviser = adviser_for(tenant_a)
    review_in(tenant_a, S.DRAFT, adviser=adviser)
    schools = [member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))[0] for _ in range(3)]

    def grow():
        for school in schools:
            give_role(adviser, tenant_a.partnership, Role.ADVISER, school)
            for term in ("autumn", "spring"):
                review_in(tenant_a, S.DRAFT, adviser=adviser, school=school, term=term)

    assert_constant_queries(signed_in(tenant_a.coordinator), f"/p/{tenant_a.slug}/subscriptions/reviews/", grow=grow)
    assert_constant_queries(
        signed_in(tenant_a.headteacher), f"/p/{tenant_a.slug}/subscriptions/reviews/", grow=lambda: None, at_most=20
    )


@pytest.mark.django_db
def test_the_demo_gives_educationkingstons_adviser_notes_of_visit_and_reviews_in_each_state(settings):
    from django.core.management import call_command

    from subscriptions.models import Visit

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        reviews = Review.objects.filter(partnership__slug="education-kingston")
        assert set(reviews.values_list("state", flat=True)) == set(S.values)
        assert {r.adviser.email for r in reviews} == {"adviser@education-kingston.example"}
        visits = Visit.objects.filter(partnership__slug="education-kingston")
        assert visits.count() == 3 and visits.filter(agenda_agreed_at__isnull=True).count() == 1
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert Review.objects.filter(partnership__slug="education-kingston").count() == reviews.count()


def test_whoever_acts_next_is_emailed_at_each_change_of_state(tenant_a):
    import email

    from core.models import OutboxMessage
    from subscriptions.models import Review
    from tests.factories.visits import review_in

    returned = review_in(tenant_a, Review.State.RETURNED)
    with scopes_disabled():
        messages = list(OutboxMessage.objects.filter(about=f"review:{returned.pk}").order_by("pk"))
    assert [(m.kind, m.recipient) for m in messages] == [
        ("review.sent", tenant_a.headteacher.email.lower()),
        ("review.returned", returned.adviser.email.lower()),
    ]
    parsed = email.message_from_string(f"Subject: {messages[1].subject}\n\n{messages[1].text}")
    assert "returned with comments" in parsed["Subject"]
    assert "Add the writing figures" in parsed.get_payload() and "/reviews/" in parsed.get_payload()
    assert "Please confirm" in messages[0].subject and "<a href=" in messages[0].html


@pytest.mark.django_db
def test_reading_a_review_is_recorded_by_its_post_and_the_get_records_nothing(tenant_a):
    from accounts.audit import AuditAction
    from accounts.models import AuditEvent

    review = review_in(tenant_a, S.SENT)
    with scopes_disabled():
        before = AuditEvent.objects.count()
    head = signed_in(tenant_a.headteacher)
    page = head.get(_url(tenant_a, review)).content.decode()
    assert review.summary not in page and "each reading is recorded" in page
    with scopes_disabled():
        assert AuditEvent.objects.count() == before
    page = head.post(_url(tenant_a, review)).content.decode()
    assert review.summary in page
    with scopes_disabled():
        row = AuditEvent.objects.get(action=AuditAction.REVIEW_READ)
    assert row.actor == tenant_a.headteacher and (row.subject_type, row.subject_id) == (
        "subscriptions.review",
        review.pk,
    )
