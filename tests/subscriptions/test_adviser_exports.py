"""The notes of visit and Joint Annual Reviews lists download as CSV and XLSX: only the visits and reviews
the reader may read, only what the list shows (never a note itself: reading one is recorded), and
downloading records nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.calendar import academic_year_label, academic_year_of
from subscriptions.models import Review, VisitView
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import signed_in
from tests.factories.partnerships import member_school_with_head
from tests.factories.visits import adviser_for, review_in, visit_for

pytestmark = pytest.mark.django_db
D = datetime.date
FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, name, fmt):
    return reverse(f"subscriptions:{name}", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def test_the_visits_download_holds_the_readers_visits_only_and_records_no_reading(tenant_a):
    adviser = adviser_for(tenant_a, name=FORMULA)
    visit_for(tenant_a, adviser=adviser)
    other_school, other_head = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))
    visit_for(tenant_a, adviser=adviser_for(tenant_a, other_school, name="Other Adviser"), school=other_school)

    rows = csv_rows(signed_in(tenant_a.headteacher).get(_url(tenant_a, "visits_export", "csv")))
    assert rows == [
        ["Date", "School", "Adviser", "Agenda", "Note"],
        [
            timezone.localdate().isoformat(),
            tenant_a.schools[0].name,
            "'" + FORMULA,
            "Waiting for the headteacher",
            "Not written yet",
        ],
    ]
    sheet = xlsx_rows(signed_in(other_head).get(_url(tenant_a, "visits_export", "xlsx")))
    assert [row[1:3] for row in sheet[1:]] == [(other_school.name, "Other Adviser")]
    assert sheet[1][0].date() == timezone.localdate()
    assert len(csv_rows(signed_in(tenant_a.coordinator).get(_url(tenant_a, "visits_export", "csv")))) == 1
    with scopes_disabled():
        assert not VisitView.objects.exists()


def test_the_reviews_download_holds_the_readers_reviews(tenant_a):
    review_in(tenant_a, Review.State.SENT)
    other_school, other_head = member_school_with_head(tenant_a.partnership, head_since=D(2021, 9, 1))
    review_in(tenant_a, Review.State.DRAFT, school=other_school)

    rows = csv_rows(signed_in(tenant_a.headteacher).get(_url(tenant_a, "reviews_export", "csv")))
    year = academic_year_label(academic_year_of(timezone.localdate()))
    assert rows == [
        ["School", "Term", "Academic year", "Adviser", "State"],
        [tenant_a.schools[0].name, "Autumn: achievement", year, "Ada Adviser", "Sent to the headteacher"],
    ]
    sheet = xlsx_rows(signed_in(tenant_a.coordinator).get(_url(tenant_a, "reviews_export", "xlsx")))
    assert {row[0] for row in sheet[1:]} == {tenant_a.schools[0].name, other_school.name}


def test_the_downloads_run_the_same_queries_however_many_visits_and_reviews(tenant_a):
    adviser = adviser_for(tenant_a)
    visit_for(tenant_a, adviser=adviser)
    review_in(tenant_a, Review.State.DRAFT, adviser=adviser)

    def more_visits():
        for _ in range(10):
            visit_for(tenant_a, adviser=adviser)

    def more_reviews():
        for term in ("spring", "summer"):
            review_in(tenant_a, Review.State.DRAFT, adviser=adviser, term=term)

    client = signed_in(adviser)
    assert_constant_queries(client, _url(tenant_a, "visits_export", "xlsx"), grow=more_visits, at_most=10)
    assert_constant_queries(client, _url(tenant_a, "reviews_export", "xlsx"), grow=more_reviews, at_most=10)


def test_the_pages_link_to_their_downloads(tenant_a):
    visit_for(tenant_a)
    review_in(tenant_a, Review.State.DRAFT)
    client = signed_in(tenant_a.headteacher)
    for page, name in (("visits", "visits_export"), ("reviews", "reviews_export")):
        body = client.get(reverse(f"subscriptions:{page}", kwargs={"partnership_slug": tenant_a.slug})).content
        assert _url(tenant_a, name, "csv") in body.decode()
