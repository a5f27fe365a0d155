"""Papers: typed by their content, within the size limit, declared free of pupil data, stored where no
URL serves them, and downloaded only by those entitled (a confidential paper is a 404 to anyone else,
by its URL as much as by the page)."""

import io
import os

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader, PdfWriter

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from core.files import DOCX, ODT, PDF, XLSX
from meetings.models import Meeting, Paper
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.documents import docx_bytes, odt_bytes, pdf_bytes, upload, xlsx_bytes
from tests.factories.meetings import AgendaItemFactory, InviteeFactory, MeetingFactory, paper_for
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def presenter(tenant_a):
    with scopes_disabled():
        user = UserFactory(full_name="Priya Presenter")
        give_role(user, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    return user


@pytest.fixture
def item(tenant_a, presenter):
    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        return AgendaItemFactory(meeting=meeting, position=1, title="Budget", presenter=presenter)


def _papers_url(tenant, item):
    return reverse("meetings:item_papers", kwargs={"partnership_slug": tenant.slug, "item_pk": item.pk})


def _paper_url(tenant, paper):
    return reverse("meetings:paper", kwargs={"partnership_slug": tenant.slug, "paper_pk": paper.pk})


def _stored_files(settings) -> list[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def _post(client, tenant, item, file, declared=True):
    data = {"file": file}
    if declared:
        data["no_pupil_data"] = "on"
    return client.post(_papers_url(tenant, item), data)


def test_the_presenter_uploads_a_pdf_kept_outside_static_and_media(client_for, tenant_a, item, presenter, settings):
    response = _post(client_for(presenter), tenant_a, item, upload("Budget 2027.pdf", pdf_bytes(3)))
    assert response.status_code == 302
    with scopes_disabled():
        paper = Paper.objects.get(item=item)
    assert (paper.name, paper.content_type, paper.pages, paper.uploaded_by) == ("Budget 2027.pdf", PDF, 3, presenter)
    stored = _stored_files(settings)
    assert stored == [paper.file.name] and stored[0].startswith(f"papers/{item.meeting_id}/")
    assert "Budget" not in stored[0]  # the uploader's name is never a path
    assert not os.path.exists(settings.MEDIA_ROOT) or not os.listdir(settings.MEDIA_ROOT)


@pytest.mark.parametrize(
    ("name", "content", "mime", "shown_as"),
    [
        ("Grid.docx", docx_bytes(), DOCX, "Grid.docx"),
        ("Figures.xlsx", xlsx_bytes(), XLSX, "Figures.xlsx"),
        ("Notes.odt", odt_bytes(), ODT, "Notes.odt"),
        ("Really a Word file.pdf", docx_bytes(), DOCX, "Really a Word file.docx"),
    ],
)
def test_office_files_are_typed_by_their_content(client_for, tenant_a, item, name, content, mime, shown_as):
    response = _post(client_for(tenant_a.coordinator), tenant_a, item, upload(name, content, "application/pdf"))
    assert response.status_code == 302
    with scopes_disabled():
        paper = Paper.objects.get(item=item)
    assert (paper.content_type, paper.name, paper.pages) == (mime, shown_as, None)


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "The paper must be a PDF, Word (.docx), Excel (.xlsx)"),
        ("notes.pdf", b"Just some text, not a PDF at all\n" * 20, "The paper must be a PDF, Word (.docx)"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "The paper must be a PDF"),
        ("damaged.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, "The PDF is damaged and cannot be opened"),
        ("locked.pdf", None, "The PDF is protected by a password: upload it without one"),
        ("empty.pdf", b"", "The file is empty: choose the paper to upload"),
    ],
)
def test_a_file_that_is_not_an_allowed_document_is_refused(
    client_for, tenant_a, item, settings, name, content, message
):
    content = _encrypted_pdf() if content is None else content
    response = _post(client_for(tenant_a.coordinator), tenant_a, item, upload(name, content))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    with scopes_disabled():
        assert not Paper.objects.exists()
    assert _stored_files(settings) == []


def test_an_oversized_paper_is_refused(client_for, tenant_a, item, settings):
    settings.PAPER_MAX_BYTES = 2 * 1024 * 1024
    big = pdf_bytes() + b"%" + b"x" * (2 * 1024 * 1024)
    response = _post(client_for(tenant_a.coordinator), tenant_a, item, upload("big.pdf", big))
    assert response.status_code == 400
    assert "The paper must be smaller than 2 MB" in response.content.decode()
    assert _stored_files(settings) == []


def test_the_no_pupil_data_declaration_is_required(client_for, tenant_a, item, settings):
    response = _post(client_for(tenant_a.coordinator), tenant_a, item, upload("a.pdf", pdf_bytes()), declared=False)
    assert response.status_code == 400
    assert "Confirm that the paper holds no pupil-level data" in response.content.decode()
    assert _stored_files(settings) == []


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\head\\Budget.pdf", "Budget.pdf"),
        ("bad\x00name\r\n.pdf", "badname.pdf"),
        ("<script>alert(1)<script>.pdf", "script_alert(1)_script.pdf"),
        ("....pdf", "paper.pdf"),
        ("report.exe", "report.pdf"),
    ],
)
def test_hostile_file_names_are_made_safe(client_for, tenant_a, item, settings, given, shown):
    response = _post(client_for(tenant_a.coordinator), tenant_a, item, upload(given, pdf_bytes()))
    assert response.status_code == 302
    with scopes_disabled():
        paper = Paper.objects.get(item=item)
    assert paper.name == shown
    assert _stored_files(settings) == [paper.file.name]


def test_someone_who_is_not_the_presenter_cannot_add_papers(client_for, tenant_a, item):
    url = _papers_url(tenant_a, item)
    assert client_for(tenant_a.headteacher).get(url).status_code == 403
    assert _post(client_for(tenant_a.headteacher), tenant_a, item, upload("a.pdf", pdf_bytes())).status_code == 403
    with scopes_disabled():
        assert not Paper.objects.exists()


def test_a_download_is_an_attachment_typed_as_stored(client_for, tenant_a, item):
    with scopes_disabled():
        paper = paper_for(item, uploaded_by=tenant_a.coordinator, name="Budget 2027.pdf", text="Budget")
        Meeting.objects.filter(pk=item.meeting_id).update(papers_version=1, agenda_status="published")
    response = client_for(tenant_a.headteacher).get(_paper_url(tenant_a, paper))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Budget 2027.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def _confidential_paper(tenant_a, item):
    """The item made confidential on a published agenda, with a paper; the headteacher is invited."""
    with scopes_disabled():
        item.confidential = True
        item.save()
        Meeting.objects.filter(pk=item.meeting_id).update(papers_version=1, agenda_status="published")
        paper = paper_for(item, uploaded_by=tenant_a.coordinator, text="Secret")
        InviteeFactory(meeting=item.meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
    return paper


def test_a_confidential_paper_is_not_found_by_anyone_not_entitled(client_for, tenant_a, item, presenter):
    paper = _confidential_paper(tenant_a, item)
    url = _paper_url(tenant_a, paper)
    assert client_for(presenter).get(url).status_code == 404  # presenting it, but not invited
    detail = reverse("meetings:detail", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": item.meeting_id})
    page = client_for(presenter).get(detail).content.decode()
    assert "Seen only by those invited" in page and url not in page
    assert client_for(tenant_a.headteacher).get(url).status_code == 200  # invited
    assert client_for(tenant_a.coordinator).get(url).status_code == 200
    assert client_for(presenter).post(url).status_code == 404


def test_opening_a_confidential_paper_is_recorded_and_a_get_records_nothing(client_for, tenant_a, item):
    paper = _confidential_paper(tenant_a, item)
    with scopes_disabled():
        before = AuditEvent.objects.count()
    client, url = client_for(tenant_a.headteacher), _paper_url(tenant_a, paper)

    page = client.get(url)
    assert page["Content-Type"].startswith("text/html")
    assert "Opening the paper is recorded" in page.content.decode()
    with scopes_disabled():
        assert AuditEvent.objects.count() == before

    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{paper.name}"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    with scopes_disabled():
        row = AuditEvent.objects.get(action=AuditAction.PAPER_READ)
    assert row.actor == tenant_a.headteacher and row.data["paper"] == paper.pk
    assert (row.subject_type, row.subject_id) == ("meetings.meeting", item.meeting_id)


def test_an_open_paper_downloads_at_once_and_is_not_recorded(client_for, tenant_a, item, presenter):
    with scopes_disabled():
        paper = paper_for(item, uploaded_by=presenter)
        before = AuditEvent.objects.count()
    client = client_for(tenant_a.coordinator)
    assert client.get(_paper_url(tenant_a, paper))["Content-Disposition"].startswith("attachment")
    assert client.post(_paper_url(tenant_a, paper)).status_code == 400  # nothing to record: refused
    with scopes_disabled():
        assert AuditEvent.objects.count() == before


def test_before_publication_only_the_drafters_and_the_presenter_open_a_paper(client_for, tenant_a, item, presenter):
    with scopes_disabled():
        paper = paper_for(item, uploaded_by=presenter)
    url = _paper_url(tenant_a, paper)
    assert client_for(tenant_a.headteacher).get(url).status_code == 404
    assert client_for(presenter).get(url).status_code == 200
    assert client_for(tenant_a.coordinator).get(url).status_code == 200


def test_removing_a_paper_deletes_its_file_after_commit(
    client_for, tenant_a, item, presenter, settings, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        paper = paper_for(item, uploaded_by=presenter)
    assert _stored_files(settings) == [paper.file.name]
    url = reverse("meetings:paper_remove", kwargs={"partnership_slug": tenant_a.slug, "paper_pk": paper.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(presenter).post(url)
        assert _stored_files(settings) == [paper.file.name]  # kept until the removal commits
    assert response.status_code == 302
    with scopes_disabled():
        assert not Paper.objects.exists()
    assert _stored_files(settings) == []
