"""Signing the agreement in the browser: a headteacher opens their school's copy from the email's link,
gets the password wrong, then signs; the chair of governors signs; the partnership's chair signs last,
and the sealed signed copy is there to download. Every page is checked by the harness (axe-core, no
sideways scrolling) and screenshotted."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnerships.agreements.verify import verify_pdf
from tests.factories.agreements import PASSWORD, signing_partnership

pytestmark = pytest.mark.e2e


def _sign(site, user, *, button: str, name: str, wrong_password_first: bool = False):
    page = site.page
    site.follow(button, name=f"sign-{name}")
    expect(page.locator("h1")).to_contain_text("Sign as")
    page.get_by_label("Your full name").fill(user.full_name)
    page.get_by_label("I agree to this agreement on behalf of").check()
    if wrong_password_first:
        page.get_by_label("Your password").fill("not my password")
        site.submit("Sign the agreement", status=400, name=f"sign-{name}-wrong")
        expect(page.locator(".govuk-error-summary")).to_contain_text("That password is not right")
    page.get_by_label("Your password").fill(PASSWORD)
    site.submit("Sign the agreement", status=200, name=f"signed-{name}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed")


def test_head_and_chair_of_governors_sign_and_the_chair_signs_last(site, transactional_db):
    signing = signing_partnership(schools=2)
    school = signing.schools[0]
    copy = signing.copy(school)
    slug = signing.partnership.slug
    copy_url = reverse("agreement:copy", kwargs={"partnership_slug": slug, "copy_pk": copy.pk})
    page = site.page

    site.login(signing.heads[school.pk], PASSWORD, expect_url=f"/p/{slug}/")
    site.visit(copy_url, name="copy-awaiting")
    expect(page.locator("main")).to_contain_text("Awaiting signatures")
    _sign(site, signing.heads[school.pk], button="Sign as headteacher", name="head", wrong_password_first=True)
    expect(page.locator("main")).to_contain_text(f"Signed by {signing.heads[school.pk].full_name}")

    page.context.clear_cookies()
    site.login(signing.governors[school.pk], PASSWORD, expect_url=f"/p/{slug}/")
    site.visit(copy_url)
    _sign(site, signing.governors[school.pk], button="Sign as chair of governors", name="governor")

    page.context.clear_cookies()
    site.login(signing.chair, PASSWORD, expect_url=f"/p/{slug}/")
    site.visit(
        reverse("agreement:board", kwargs={"partnership_slug": slug, "version_pk": signing.version.pk}), name="board"
    )
    site.follow(school.name)
    _sign(site, signing.chair, button="Sign as chair of the partnership", name="chair")
    expect(page.locator("main")).to_contain_text("Signed")
    link = page.get_by_role("link", name="Download the signed copy (PDF)")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    pdf = open(download.value.path(), "rb").read()
    result = verify_pdf(pdf)
    assert result.genuine and result.identifier == copy.identifier
