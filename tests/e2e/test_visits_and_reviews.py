"""Notes of visit and the Joint Annual Review through the browser: the adviser plans a visit, the
headteacher agrees its agenda, the adviser writes the note and the headteacher reads it (the reading is
recorded); the adviser drafts the term's review and sends it, the headteacher returns it with a comment,
then confirms it once revised, and the adviser submits it. Every page is checked by the harness
(axe-core, no sideways scrolling) and screenshotted."""

import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import Partnership
from subscriptions.models import VisitView
from tests.e2e.conftest import fill_date
from tests.factories.visits import adviser_for

pytestmark = pytest.mark.e2e


def _as(site, user, slug):
    site.page.context.clear_cookies()
    site.login(user, expect_url=f"/p/{slug}/")


def test_the_adviser_records_a_visit_and_the_headteacher_reads_its_note(site, tenant_a):
    with scopes_disabled():
        adviser = adviser_for(tenant_a)
        Partnership.objects.filter(pk=tenant_a.partnership.pk).update(offers_subscriptions=True)
    page, slug, school = site.page, tenant_a.slug, tenant_a.schools[0].name

    site.login(adviser, expect_url=f"/p/{slug}/")
    site.follow("Subscriptions", name="subscriptions")
    site.follow("Notes of visit", name="visits")
    site.follow("Plan a visit", name="visit-new")
    site.submit("Plan the visit", status=400, name="visit-new-errors")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agenda")
    page.get_by_label("School").select_option(label=school)
    fill_date(page, "Date of the visit", timezone.localdate())
    page.get_by_label("Agenda").fill("Reading in key stage 2\nThe behaviour policy")
    page.get_by_label("Chair of governors").check()
    site.submit("Plan the visit", status=200, name="visit-planned")
    expect(page.locator("main")).to_contain_text("Not agreed by the headteacher yet")
    visit_url = page.url

    _as(site, tenant_a.headteacher, slug)
    site.visit(visit_url, name="head-visit")
    site.follow("Agree the agenda", name="agenda")
    site.submit("Agree the agenda", status=200, name="agenda-agreed")
    expect(page.locator("main")).to_contain_text(f"Agreed by {tenant_a.headteacher.full_name}")

    _as(site, adviser, slug)
    site.visit(visit_url, name="adviser-visit")
    site.follow("Write the note", name="note")
    page.get_by_label("Who was seen").fill("The English lead and Year 5")
    page.get_by_label("Judgements").fill("Reading is taught well")
    page.get_by_label("Next steps").fill("Share the approach with Year 3")
    site.submit("Save the note", status=200, name="note-saved")

    _as(site, tenant_a.headteacher, slug)
    site.visit(visit_url, name="head-before-reading")
    expect(page.locator("main")).not_to_contain_text("Reading is taught well")
    site.submit("Read the note", status=200, name="head-reads")
    expect(page.locator("main")).to_contain_text("Reading is taught well")
    expect(page.locator("main")).to_contain_text("Readings of this note")
    with scopes_disabled():
        assert VisitView.objects.filter(user=tenant_a.headteacher).count() == 1


def test_the_adviser_drafts_the_review_and_the_headteacher_confirms_it(site, tenant_a):
    with scopes_disabled():
        adviser = adviser_for(tenant_a)
    page, slug, school = site.page, tenant_a.slug, tenant_a.schools[0].name

    site.login(adviser, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/reviews/", name="reviews")
    site.follow("Draft a review", name="review-new")
    page.get_by_label("School").select_option(label=school)
    page.get_by_label("Autumn: achievement").check()
    page.get_by_label("Review of the term").fill("Reading rose; writing is below the target.")
    page.get_by_label("Key stage 2").fill("Reading 78% (target 75%; previous 70%; local 74%; national 73%)")
    site.submit("Save the draft", status=200, name="review-drafted")
    site.follow("Send to the headteacher", name="review-send")
    site.submit("Send the review", status=200, name="review-sent")
    review_url = page.url

    _as(site, tenant_a.headteacher, slug)
    site.visit(review_url, name="head-review")
    site.follow("Return it with comments", name="review-return")
    page.get_by_label("What should the adviser change?").fill("Add the writing figures")
    site.submit("Return the review", status=200, name="review-returned")

    _as(site, adviser, slug)
    site.visit(review_url, name="adviser-returned")
    expect(page.locator("main")).to_contain_text("Add the writing figures")
    site.follow("Revise the review", name="review-revise")
    page.get_by_label("Key stage 2").fill("Reading 78%, writing 68% (targets 75% and 72%)")
    site.submit("Save the draft", status=200, name="review-revised")
    site.follow("Send to the headteacher", name="review-send-again")
    site.submit("Send the review", status=200, name="review-sent-again")

    _as(site, tenant_a.headteacher, slug)
    site.visit(review_url, name="head-review-again")
    site.follow("Confirm the review", name="review-confirm")
    site.submit("Confirm the review", status=200, name="review-confirmed")

    _as(site, adviser, slug)
    site.visit(review_url, name="adviser-confirmed")
    site.follow("Submit the review", name="review-submit")
    site.submit("Submit the review", status=200, name="review-submitted")
    expect(page.locator("main")).to_contain_text("Submitted")
    expect(page.locator("main ol")).to_contain_text(re.compile("Returned with comments.*Add the writing figures"))
