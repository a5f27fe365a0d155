"""A coordinator renews the partnership agreement in the browser: edits a section while the preview
follows the typing (and refuses HTML before anything is saved), publishes the renewal and compares it
with the version it replaces. Every page is checked by the harness (axe-core, no sideways scrolling)
and screenshotted; a headteacher then reads the agreement in force."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from partnerships.models import AgreementSection, AgreementVersion
from partnerships.services.agreements import agreement_draft_create, agreement_publish

pytestmark = pytest.mark.e2e
D = datetime.date


@pytest.fixture
def exeter_2009(tenant_a):
    with scope(partnership=tenant_a.partnership):
        version = agreement_draft_create(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            template="learning_community",
            starts=D(2009, 4, 1),
            ends=D(2011, 4, 30),
        )
        return agreement_publish(actor=tenant_a.coordinator, version=version)


def test_coordinator_edits_a_section_with_the_preview_and_publishes_the_renewal(site, tenant_a, exeter_2009):
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Read the partnership agreement", name="expired")
    expect(page.get_by_text("The partnership agreement expired on 30 April 2011.")).to_be_visible()
    site.follow("Renew the agreement")
    site.submit("Draft the renewal", name="renewal-drafted")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 drafted to renew version 1")

    site.follow("Edit 10. Leaving", name="section")
    text = page.get_by_label("Text", exact=True)
    text.fill('A school leaving <img src="file:///etc/passwd">')
    expect(page.locator("#preview")).to_contain_text("This text cannot be saved")
    expect(page.locator("#preview")).to_contain_text("Remove the HTML <img>")
    site.check("preview-refuses-html")
    text.fill("A school that leaves gives **a term's notice**:\n\n- in writing\n- to the chair")
    expect(page.locator("#preview strong")).to_have_text("a term's notice")
    expect(page.locator("#preview li")).to_have_count(2)
    site.check("preview-follows-typing")
    with scopes_disabled():  # the preview is a GET: nothing was saved while typing
        renewal = AgreementVersion.objects.get(partnership=tenant_a.partnership, number=2)
        assert "term's notice" not in AgreementSection.objects.get(version=renewal, key="leaving").text

    site.submit("Save the section", name="section-saved")
    expect(page.locator("#section-leaving")).to_contain_text("a term's notice")
    site.follow("Change the term", name="term")
    page.get_by_role("group", name="Starts").get_by_label("Year").fill("2025")
    page.get_by_role("group", name="Starts").get_by_label("Month").fill("9")
    page.get_by_role("group", name="Starts").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Ends").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Ends").get_by_label("Month").fill("8")
    page.get_by_role("group", name="Ends").get_by_label("Year").fill("2024")
    site.submit("Save the term", status=400, name="term-ends-before-it-starts")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The agreement must end on or after the day it starts")
    page.get_by_role("group", name="Ends").get_by_label("Year").fill("2028")
    site.submit("Save the term", name="term-saved")

    site.follow("Publish version 2")
    site.submit("Publish version 2", name="published")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 published")
    site.follow("Compare with the version it replaced", name="compare")
    expect(page.locator("ins").first).to_be_visible()
    with scopes_disabled():
        exeter_2009.refresh_from_db()
        assert exeter_2009.status == "superseded"

    page.context.clear_cookies()
    site.login(tenant_a.headteacher)
    site.visit(f"/p/{slug}/agreement/", name="headteacher-reads")
    expect(page.get_by_text("In force").first).to_be_visible()
    expect(page.get_by_role("link", name="Start a new version from a template")).to_have_count(0)


def test_coordinator_starts_a_version_from_a_template_and_says_who_signs(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Agreement", name="no-agreement-yet")
    expect(page.get_by_text("No agreement has been published yet.")).to_be_visible()
    site.follow("Start a new version from a template")
    site.submit("Start the draft", status=400, name="draft-needs-a-template")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Schools' partnership with a banker school (Heart of Manchester)").check()
    for legend, (day, month, year) in (("Starts", (1, 9, 2026)), ("Ends", (31, 8, 2029))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day))
        group.get_by_label("Month").fill(str(month))
        group.get_by_label("Year").fill(str(year))
    site.submit("Start the draft", name="drafted")
    expect(page.get_by_text("Chairperson of the partnership")).to_be_visible()

    site.follow("Change who signs", name="signatories")
    for label in ("Headteacher of each school", "Chair of governors of each school", "Chair of the partnership"):
        page.get_by_label(label).uncheck()
    page.get_by_label("Other parties that sign").fill("")
    site.submit("Save who signs", status=400, name="nobody-signs")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one signatory")
    page.get_by_label("Headteacher of each school").check()
    page.get_by_label("Other parties that sign").fill("For the local authority's division\nThe PEP headteacher")
    site.submit("Save who signs", name="signatories-saved")
    with scopes_disabled():
        version = AgreementVersion.objects.get(partnership=tenant_a.partnership)
        assert [b.label for b in version.signature_blocks.all()] == [
            "Headteacher of each school",
            "For the local authority's division",
            "The PEP headteacher",
        ]
