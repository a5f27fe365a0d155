"""A headteacher checks a signed copy in the browser: a file that is no agreement is refused next to the
field, the sealed copy is genuine, and its public record (opened signed out) shows roles and dates but no
names. Every page is checked by the harness (axe-core, no sideways scrolling) and screenshotted."""

import pytest
from playwright.sync_api import expect

from tests.factories.agreements import PASSWORD
from tests.factories.sealed import ready_signing, sealed_copy, signer_names

pytestmark = pytest.mark.e2e


@pytest.fixture
def sealed(transactional_db):
    signing = ready_signing("Heart of Manchester")
    copy, pdf = sealed_copy(signing, signing.schools[0])
    return signing, copy, pdf


def test_headteacher_checks_a_sealed_copy_and_opens_its_public_record(site, sealed, tmp_path):
    signing, copy, pdf = sealed
    page, slug, school = site.page, signing.partnership.slug, signing.schools[0]
    signed = tmp_path / "signed-agreement.pdf"
    signed.write_bytes(pdf)
    picture = tmp_path / "photo.pdf"
    picture.write_bytes(b"GIF89a not an agreement at all")

    site.login(signing.heads[school.pk], PASSWORD)
    site.visit(f"/p/{slug}/agreement/", name="agreement")
    site.follow("Check whether it is genuine", name="verify")
    page.get_by_label("Signed copy of the agreement").set_input_files(str(picture))
    site.submit("Check the file", status=400, name="not-a-pdf")
    expect(page.locator(".govuk-error-summary")).to_contain_text("This file is not a PDF.")

    page.get_by_label("Signed copy of the agreement").set_input_files(str(signed))
    site.submit("Check the file", status=200, name="genuine")
    expect(page.locator(".govuk-panel")).to_contain_text("Genuine signed copy")
    expect(page.locator("main")).to_contain_text(signing.heads[school.pk].full_name)  # their own school's copy

    page.context.clear_cookies()
    site.visit(f"/agreements/verify/{copy.identifier}/", name="public-record")
    expect(page.locator("main")).to_contain_text(copy.signed_sha256)
    expect(page.locator("main")).to_contain_text("Chair of governors")
    for name in signer_names(signing, school):
        expect(page.locator("main")).not_to_contain_text(name)
    site.follow("Check another identifier", name="lookup")
    page.get_by_label("Document identifier").fill("2222-3333-4444")
    site.submit("Look it up", status=404, name="unknown-identifier")
    expect(page.locator(".govuk-error-summary")).to_contain_text("No agreement has this identifier")
    page.get_by_label("Document identifier").fill(copy.identifier.lower().replace("-", ""))
    site.submit("Look it up", status=200, name="found-by-typing")
    assert site.path == f"/agreements/verify/{copy.identifier}/"
    page.set_viewport_size({"width": 375, "height": 740})
    site.visit(f"/agreements/verify/{copy.identifier}/", name="public-record-phone")


def test_another_partnerships_coordinator_sees_an_altered_copy_and_a_genuine_one_without_names(site, sealed, tmp_path):
    signing, copy, pdf = sealed
    other = ready_signing("Exeter Learning Community", schools=1)
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    (tmp_path / "altered.pdf").write_bytes(bytes(altered))
    (tmp_path / "genuine.pdf").write_bytes(pdf)
    page = site.page

    site.login(other.coordinator, PASSWORD)
    site.visit(f"/p/{other.partnership.slug}/agreement/verify/", name="verify")
    page.get_by_label("Signed copy of the agreement").set_input_files(str(tmp_path / "altered.pdf"))
    site.submit("Check the file", status=200, name="altered")
    expect(page.locator("h1")).to_have_text("This copy was altered after it was sealed")
    page.get_by_label("Signed copy of the agreement").set_input_files(str(tmp_path / "genuine.pdf"))
    site.submit("Check the file", status=200, name="genuine-of-another-partnership")
    expect(page.locator(".govuk-panel")).to_contain_text("Heart of Manchester")
    for name in signer_names(signing, signing.schools[0]):
        expect(page.locator("main")).not_to_contain_text(name)
    site.visit("/agreements/verify/NOT-A-REAL-ONE/", status=404, name="unknown-by-address")
