"""A school signs the agreement on paper in the browser: its headteacher uploads the scan (after a file
that is not a PDF is refused), and the coordinator checks it beside the copy and confirms it. Every page
is checked by the harness (axe-core, no sideways scrolling) and screenshotted."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import AgreementCopy
from tests.factories.agreements import PASSWORD, signing_partnership
from tests.factories.paper import scan_bytes
from tests.factories.partnerships import PNG

pytestmark = pytest.mark.e2e


@pytest.fixture
def signing(transactional_db):
    return signing_partnership(name="Paper Walk", schools=2)  # publishing makes the copies, in process


def test_a_headteacher_uploads_the_signed_scan_and_the_coordinator_confirms_it(site, signing, tmp_path):
    page = site.page
    school = signing.schools[0]
    copy = signing.copy(school)
    copy_path = f"/p/{signing.partnership.slug}/agreement/copies/{copy.pk}/"
    not_a_pdf = tmp_path / "signed.pdf"
    not_a_pdf.write_bytes(PNG)
    scan = tmp_path / "signed-agreement.pdf"
    scan.write_bytes(scan_bytes("Signed by hand"))

    site.login(signing.heads[school.pk], PASSWORD)
    site.visit(copy_path, name="copy-awaiting")
    site.follow("Upload the scan of the copy signed on paper", name="upload")
    site.submit("Upload the scan", status=400, name="upload-nothing-chosen")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the scan of the signed copy")
    page.get_by_label("Upload the signed copy").set_input_files(str(not_a_pdf))
    site.submit("Upload the scan", status=400, name="upload-not-a-pdf")
    expect(page.locator(".govuk-error-message")).to_contain_text("The scan must be a PDF")
    page.get_by_label("Upload the signed copy").set_input_files(str(scan))
    site.submit("Upload the scan", status=200, name="uploaded")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the coordinator will check it")
    expect(page.locator("#paper ~ p").first).to_contain_text("waiting for the coordinator's check")

    page.context.clear_cookies()
    site.login(signing.coordinator, PASSWORD)
    site.visit(copy_path, name="coordinator-copy")
    site.follow("Check the scan and confirm it", name="check")
    expect(page.get_by_role("link", name="Download the scan (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="Read the unsigned copy (PDF)")).to_be_visible()
    site.submit("Send it back", status=400, name="send-back-without-reason")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the scan is sent back")
    site.submit("Confirm it is signed", status=200, name="confirmed")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("confirmed as signed on paper")
    expect(page.locator(".govuk-tag").first).to_have_text("Signed on paper")
    with scopes_disabled():
        copy = AgreementCopy.objects.get(pk=copy.pk)
    assert copy.status == AgreementCopy.Status.SIGNED_ON_PAPER and copy.confirmed_by == signing.coordinator
