"""Signing the agreement on paper: a school uploads the scan of its copy signed by hand, and the
coordinator confirms it or sends it back. Real files throughout: the stored blank copies WeasyPrint and
pyHanko made, scans made by WeasyPrint, and mail read back over SMTP with Python's email parser."""

import hashlib

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scopes_disabled
from weasyprint import HTML

from accounts.models import AuditEvent
from core.files import private_storage
from core.models import OutboxMessage
from partnerships.agreements.pdf import KEYWORD_PREFIX
from partnerships.models import AgreementCopy, AgreementVersion
from partnerships.selectors.paper import scan_upload_refusal
from partnerships.services.agreements import agreement_publish, agreement_renew
from partnerships.services.signing import agreement_copies_make
from tests.factories.agreements import signing_partnership
from tests.factories.documents import upload
from tests.factories.paper import scan_bytes
from tests.factories.partnerships import PNG

C = AgreementCopy.Status


@pytest.fixture
def signing(db):
    signing = signing_partnership(name="Paper Partnership", schools=2)
    agreement_copies_make(version=signing.version)  # the task publishing queues
    return signing


def _url(name: str, signing, copy) -> str:
    return reverse(f"agreement:{name}", kwargs={"partnership_slug": signing.partnership.slug, "copy_pk": copy.pk})


def _blank(copy) -> bytes:
    with private_storage.open(copy.blank.name, "rb") as stored:
        return stored.read()


def _post_scan(client, signing, copy, data: bytes, name: str = "scan.pdf"):
    return client.post(_url("paper_upload", signing, copy), {"scan": upload(name, data)})


def _refreshed(signing, copy) -> AgreementCopy:
    return signing.copy(copy.school, copy.version)


def _unchanged(signing, copy) -> None:
    """Nothing was written: the copy still awaits, no scan is stored, nobody was told."""
    copy = _refreshed(signing, copy)
    assert (copy.status, copy.scan.name, copy.scan_sha256, copy.scan_uploaded_by) == (C.AWAITING, "", "", None)
    assert not _scan_files(signing)
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(kind__startswith="agreement.scan").exists()
        assert not AuditEvent.objects.filter(action="agreement.scan_uploaded").exists()


def _scan_files(signing) -> list[str]:
    folder = f"agreements/{signing.partnership.pk}"
    return [name for name in private_storage.listdir(folder)[1] if "-scan-" in name]


def _field_error(response) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors.get("scan", []))


def _pdf_naming(identifier: str) -> bytes:
    """A real PDF whose keywords carry a Commonroom identifier, as the blank copies' do."""
    head = f'<title>Agreement</title><meta name="keywords" content="{KEYWORD_PREFIX}{identifier}">'
    return HTML(string=f'<html lang="en-GB"><head>{head}</head><body><p>Signed</p></body></html>').write_pdf()


def _renewed(signing) -> AgreementVersion:
    """Version 2 published, its copies made: version 1's unsigned copies are void."""
    with scopes_disabled():
        renewal = agreement_renew(actor=signing.coordinator, version=signing.version)
        agreement_publish(actor=signing.coordinator, version=renewal)
        agreement_copies_make(version=renewal)
        renewal.refresh_from_db()
    return renewal


# --- Uploading ------------------------------------------------------------------------------------------


def test_the_headteacher_uploads_a_scan_without_an_identifier_and_the_coordinator_is_told(
    signing, client_for, smtp_server, django_capture_on_commit_callbacks
):
    school = signing.schools[0]
    copy = signing.copy(school)
    head = signing.heads[school.pk]
    data = scan_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_scan(client_for(head), signing, copy, data)
    assert response.status_code == 302 and response["Location"] == _url("copy", signing, copy)
    copy = _refreshed(signing, copy)
    assert copy.status == C.SCAN_UPLOADED
    assert copy.scan_uploaded_by == head and copy.scan_uploaded_at is not None
    with private_storage.open(copy.scan.name, "rb") as stored:
        assert stored.read() == data
    assert copy.scan.name.startswith(f"agreements/{signing.partnership.pk}/")
    assert copy.scan_sha256 == hashlib.sha256(data).hexdigest()
    with scopes_disabled():
        event = AuditEvent.objects.get(action="agreement.scan_uploaded")
    assert event.actor == head and event.partnership_id == signing.partnership.pk
    assert event.data["sha256"] == copy.scan_sha256 and event.data["identifier"] == ""
    [message] = smtp_server.messages
    assert message["To"] == signing.coordinator.email
    assert message["Subject"] == f"{school.name}'s agreement signed on paper: please check the scan"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"{head.full_name} has uploaded the scan of {school.name}'s copy of version 1" in text
    assert _url("paper_check", signing, copy) in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Check the scan" in html


def test_the_blank_pdf_of_another_schools_copy_is_refused_naming_that_copy(signing, client_for):
    mine, theirs = (signing.copy(school) for school in signing.schools)
    head = signing.heads[mine.school.pk]
    response = _post_scan(client_for(head), signing, mine, _blank(theirs), name="our signed copy.pdf")
    error = _field_error(response)
    assert error.startswith(f"This is the copy for {theirs.school.name}, not {mine.school.name}")
    assert f"upload the scan of {mine.school.name}'s copy of version 1" in error
    assert escape(error) in response.content.decode()  # next to the field, as the page shows it
    _unchanged(signing, mine)


def test_the_blank_pdf_of_an_earlier_version_is_refused_naming_the_version(signing, client_for):
    school = signing.schools[0]
    first = signing.copy(school)
    renewal = _renewed(signing)
    second = signing.copy(school, renewal)
    response = _post_scan(client_for(signing.heads[school.pk]), signing, second, _blank(first))
    assert _field_error(response) == (
        f"This is the copy for version 1: upload the scan of {school.name}'s copy of version 2"
    )
    _unchanged(signing, second)


def test_a_pdf_naming_a_copy_this_partnership_does_not_have_is_refused(signing, client_for):
    school = signing.schools[0]
    copy = signing.copy(school)
    response = _post_scan(client_for(signing.heads[school.pk]), signing, copy, _pdf_naming("ZZZZ-ZZZZ-ZZZZ"))
    assert _field_error(response) == (f"This is not {school.name}'s copy of version 1: upload the scan of that copy")
    _unchanged(signing, copy)


def test_the_copy_as_downloaded_unsigned_is_not_a_scan(signing, client_for):
    school = signing.schools[0]
    copy = signing.copy(school)
    response = _post_scan(client_for(signing.heads[school.pk]), signing, copy, _blank(copy))
    assert "unsigned copy as it was downloaded" in _field_error(response)
    _unchanged(signing, copy)


@pytest.mark.parametrize(
    ("data", "name"),
    [(PNG, "scan.pdf"), (b"I signed it, honestly\n", "scan.pdf"), (b"\x00" * 64, "scan.png")],
    ids=["png-named-pdf", "text", "zeros"],
)
def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field(signing, client_for, data, name):
    school = signing.schools[0]
    copy = signing.copy(school)
    response = _post_scan(client_for(signing.heads[school.pk]), signing, copy, data, name=name)
    assert _field_error(response) == "The scan must be a PDF: scan the signed copy to PDF and upload that"
    _unchanged(signing, copy)


def test_a_damaged_pdf_is_refused_not_an_error(signing, client_for):
    school = signing.schools[0]
    copy = signing.copy(school)
    client = client_for(signing.heads[school.pk])
    for damaged in (b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", b"%PDF-1.7\n" + b"\xff" * 300, scan_bytes()[:600]):
        response = _post_scan(client, signing, copy, damaged)
        assert "damaged" in _field_error(response)
    _unchanged(signing, copy)


def test_a_scan_over_the_size_limit_is_refused(signing, client_for, settings):
    settings.AGREEMENT_UPLOAD_MAX_BYTES = 4 * 1024
    school = signing.schools[0]
    copy = signing.copy(school)
    data = scan_bytes(pages=8)
    assert len(data) > 4 * 1024
    response = _post_scan(client_for(signing.heads[school.pk]), signing, copy, data)
    assert _field_error(response) == "The scan must be smaller than 4 KB"
    _unchanged(signing, copy)


def test_no_file_is_a_field_error(signing, client_for):
    school = signing.schools[0]
    copy = signing.copy(school)
    response = client_for(signing.heads[school.pk]).post(_url("paper_upload", signing, copy), {})
    assert _field_error(response) == "Select the scan of the signed copy"
    _unchanged(signing, copy)


def test_a_replaced_version_is_not_signed_on_paper(signing, client_for):
    school = signing.schools[0]
    first = signing.copy(school)
    _renewed(signing)
    client = client_for(signing.heads[school.pk])
    page = client.get(_url("paper_upload", signing, first))
    assert page.status_code == 200
    refusal = "Version 1 has been replaced by version 2: print and sign that one"
    assert refusal in page.content.decode() and 'type="file"' not in page.content.decode()
    response = _post_scan(client, signing, first, scan_bytes())
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [refusal]
    first = _refreshed(signing, first)
    assert first.status == C.VOID and not first.scan


def test_another_schools_headteacher_finds_no_such_page(signing, client_for):
    mine, theirs = signing.schools
    copy = signing.copy(mine)
    client = client_for(signing.heads[theirs.pk])
    assert client.get(_url("paper_upload", signing, copy)).status_code == 404
    assert _post_scan(client, signing, copy, scan_bytes()).status_code == 404
    with scopes_disabled():
        assert scan_upload_refusal(signing.heads[theirs.pk], copy) == (
            f"Only the headteacher of {mine.name} or the coordinator can upload the signed copy"
        )
    _unchanged(signing, copy)


def test_the_chair_of_governors_sees_the_copy_but_the_headteacher_uploads_it(signing, client_for):
    school = signing.schools[0]
    copy = signing.copy(school)
    client = client_for(signing.governors[school.pk])
    refusal = f"Only the headteacher of {school.name} or the coordinator can upload the signed copy"
    assert refusal in client.get(_url("paper_upload", signing, copy)).content.decode()
    response = _post_scan(client, signing, copy, scan_bytes())
    assert response.status_code == 400 and response.context["form"].non_field_errors() == [refusal]
    _unchanged(signing, copy)


def test_a_new_upload_replaces_the_scan_waiting_for_its_check(signing, client_for, django_capture_on_commit_callbacks):
    school = signing.schools[0]
    copy = signing.copy(school)
    client = client_for(signing.heads[school.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_scan(client, signing, copy, scan_bytes("First go")).status_code == 302
    first = _refreshed(signing, copy).scan.name
    page = client.get(_url("paper_upload", signing, copy)).content.decode()
    assert "is waiting for the coordinator's check. A new upload replaces it" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_scan(client, signing, copy, scan_bytes("Second go")).status_code == 302
    copy = _refreshed(signing, copy)
    assert copy.status == C.SCAN_UPLOADED and copy.scan.name != first
    assert not private_storage.exists(first) and private_storage.exists(copy.scan.name)
    assert _scan_files(signing) == [copy.scan.name.rsplit("/", 1)[1]]
    with scopes_disabled():
        told = OutboxMessage.objects.filter(kind="agreement.scan_uploaded", recipient=signing.coordinator.email)
        assert told.count() == 2  # each scan is the coordinator's to check
        assert "a new scan, in place of the one waiting for your check" in told.order_by("-pk").first().text


# --- The coordinator's check -------------------------------------------------------------------------------


@pytest.fixture
def uploaded(signing, client_for, django_capture_on_commit_callbacks):
    """School 0's copy, its scan uploaded by its headteacher."""
    school = signing.schools[0]
    copy = signing.copy(school)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_scan(client_for(signing.heads[school.pk]), signing, copy, scan_bytes())
    assert response.status_code == 302
    return _refreshed(signing, copy)


def test_the_check_page_shows_the_scan_beside_the_copy(signing, uploaded, client_for):
    page = client_for(signing.coordinator).get(_url("paper_check", signing, uploaded))
    assert page.status_code == 200
    html = page.content.decode()
    assert _url("paper_scan", signing, uploaded) in html and _url("copy_blank", signing, uploaded) in html
    assert uploaded.identifier in html and uploaded.scan_sha256 in html
    assert "Confirm it is signed" in html and "Send it back" in html
    copy_page = client_for(signing.coordinator).get(_url("copy", signing, uploaded)).content.decode()
    assert "Signing on paper" in copy_page and _url("paper_check", signing, uploaded) in copy_page


def test_the_scan_is_a_private_download_for_those_who_see_the_copy(signing, uploaded, client_for):
    school = signing.schools[0]
    for user in (signing.heads[school.pk], signing.governors[school.pk], signing.coordinator, signing.chair):
        response = client_for(user).get(_url("paper_scan", signing, uploaded))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == private_storage.open(uploaded.scan.name).read()
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment;")
    other_head = signing.heads[signing.schools[1].pk]
    assert client_for(other_head).get(_url("paper_scan", signing, uploaded)).status_code == 404
    # A copy with no scan has none to download.
    no_scan = signing.copy(signing.schools[1])
    assert client_for(signing.coordinator).get(_url("paper_scan", signing, no_scan)).status_code == 404


def test_the_coordinator_confirms_the_copy_signed_on_paper(
    signing, uploaded, client_for, smtp_server, django_capture_on_commit_callbacks
):
    client = client_for(signing.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("paper_check", signing, uploaded), {"confirm-scan_sha256": uploaded.scan_sha256})
    assert response.status_code == 302 and response["Location"] == _url("copy", signing, uploaded)
    copy = _refreshed(signing, uploaded)
    assert copy.status == C.SIGNED_ON_PAPER and copy.is_complete
    assert copy.confirmed_by == signing.coordinator and copy.confirmed_at is not None
    assert copy.scan.name == uploaded.scan.name  # kept: it is the signed agreement
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="agreement.scan_confirmed", actor=signing.coordinator).exists()
    head = signing.heads[signing.schools[0].pk]
    [message] = [m for m in smtp_server.messages if m["To"] == head.email]
    assert message["Subject"] == f"{copy.school.name}'s agreement signed on paper is confirmed"
    assert "the school's copy is signed on paper" in message.get_body(preferencelist=("plain",)).get_content()
    # Signed: no more uploads, and nothing left to check.
    with scopes_disabled():
        assert "already signed" in scan_upload_refusal(head, copy)
    page = client_for(head).get(_url("copy", signing, copy)).content.decode()
    assert "The coordinator confirmed the scan" in page and f'href="{_url("paper_upload", signing, copy)}"' not in page


def test_only_the_coordinator_checks(signing, uploaded, client_for):
    head = signing.heads[signing.schools[0].pk]
    for name in ("paper_check", "paper_reject"):
        assert client_for(head).get(_url(name, signing, uploaded)).status_code == 403
        assert client_for(signing.chair).post(_url(name, signing, uploaded), {"reject-reason": "x"}).status_code == 403
    assert _refreshed(signing, uploaded).status == C.SCAN_UPLOADED


def test_a_scan_replaced_while_the_coordinator_checked_is_not_confirmed(signing, uploaded, client_for):
    response = client_for(signing.coordinator).post(
        _url("paper_check", signing, uploaded), {"confirm-scan_sha256": "0" * 64}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A new scan was uploaded while you were checking: check that one"
    ]
    assert _refreshed(signing, uploaded).status == C.SCAN_UPLOADED


def test_sending_back_needs_a_reason(signing, uploaded, client_for):
    url = _url("paper_reject", signing, uploaded)
    for reason in ("", "   "):
        response = client_for(signing.coordinator).post(
            url, {"reject-scan_sha256": uploaded.scan_sha256, "reject-reason": reason}
        )
        assert response.status_code == 400
        assert response.context["reject_form"].errors["reason"] == [
            "Say why the scan is sent back, so the school can put it right"
        ]
    copy = _refreshed(signing, uploaded)
    assert copy.status == C.SCAN_UPLOADED and private_storage.exists(copy.scan.name)
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(kind="agreement.scan_rejected").exists()


def test_sent_back_with_a_reason_the_copy_awaits_again_and_the_uploader_is_told(
    signing, uploaded, client_for, smtp_server, django_capture_on_commit_callbacks
):
    reason = "Page 6 is missing: the chair of governors' signature is not in the scan"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(signing.coordinator).post(
            _url("paper_reject", signing, uploaded),
            {"reject-scan_sha256": uploaded.scan_sha256, "reject-reason": reason},
        )
    assert response.status_code == 302
    copy = _refreshed(signing, uploaded)
    assert (copy.status, copy.scan.name, copy.scan_sha256, copy.scan_uploaded_by) == (C.AWAITING, "", "", None)
    assert not private_storage.exists(uploaded.scan.name)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="agreement.scan_rejected")
    assert event.data["reason"] == reason and event.data["sha256"] == uploaded.scan_sha256
    head = signing.heads[signing.schools[0].pk]
    [message] = [m for m in smtp_server.messages if m["To"] == head.email]
    assert message["Subject"] == f"{copy.school.name}'s agreement signed on paper was sent back"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert reason in text
    assert _url("paper_upload", signing, copy) in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Page 6 is missing: the chair of governors&#x27; signature is not in the scan" in html
    # The school may upload again.
    with scopes_disabled():
        assert scan_upload_refusal(head, copy) == ""


def test_there_is_nothing_to_check_before_a_scan_is_uploaded(signing, client_for):
    copy = signing.copy(signing.schools[1])
    page = client_for(signing.coordinator).get(_url("paper_check", signing, copy))
    assert page.status_code == 200
    assert f"There is no scan of {copy.school.name}&#x27;s copy waiting for a check" in page.content.decode()
    response = client_for(signing.coordinator).post(_url("paper_check", signing, copy), {})
    assert response.status_code == 400
    assert _refreshed(signing, copy).status == C.AWAITING


def test_the_copy_page_offers_the_upload_to_the_headteacher_only(signing, client_for):
    school = signing.schools[0]
    copy = signing.copy(school)
    upload_url = f'href="{_url("paper_upload", signing, copy)}"'
    assert upload_url in client_for(signing.heads[school.pk]).get(_url("copy", signing, copy)).content.decode()
    assert upload_url in client_for(signing.coordinator).get(_url("copy", signing, copy)).content.decode()
    governor_page = client_for(signing.governors[school.pk]).get(_url("copy", signing, copy)).content.decode()
    assert upload_url not in governor_page and "Signing on paper" not in governor_page


def test_the_coordinator_may_upload_a_scan_the_school_posted_and_is_not_emailed_about_it(
    signing, client_for, django_capture_on_commit_callbacks
):
    copy = signing.copy(signing.schools[1])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_scan(client_for(signing.coordinator), signing, copy, scan_bytes("Posted to the office"))
    assert response.status_code == 302
    copy = _refreshed(signing, copy)
    assert copy.status == C.SCAN_UPLOADED and copy.scan_uploaded_by == signing.coordinator
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(kind="agreement.scan_uploaded").exists()
