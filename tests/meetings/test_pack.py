"""The agenda pack, read back by independent programs: pypdf for its bookmarks, metadata and
attachments, poppler's pdftotext for what each page says. Its agenda's page numbers must be where each
item's papers really start, and a reader gets only the papers they may read."""

import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from core.files import DOCX, private_storage, stored_name
from meetings.models import Meeting, Paper
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.documents import docx_bytes, pdf_bytes
from tests.factories.meetings import AgendaItemFactory, InviteeFactory, MeetingFactory, paper_for
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db


def _pages_text(pdf: bytes) -> list[str]:
    """Each page's text, by pdftotext (form feeds separate pages)."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode().split("\f")[:-1]


@pytest.fixture
def meeting(tenant_a):
    """A published agenda: a two-page paper, an item with no paper, a landscape three-page paper with a
    Word attachment, and a confidential item with its own paper."""
    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            chair=tenant_a.coordinator,
            title="Spring partnership meeting",
            agenda_status=Meeting.AgendaStatus.PUBLISHED,
            papers_version=1,
        )
        alpha = AgendaItemFactory(meeting=meeting, position=1, title="Budget", decision_needed=True)
        paper_for(alpha, uploaded_by=tenant_a.coordinator, pages=2, text="Alpha")
        AgendaItemFactory(meeting=meeting, position=2, title="Headteachers' updates")
        gamma = AgendaItemFactory(meeting=meeting, position=3, title="Moderation")
        paper_for(gamma, uploaded_by=tenant_a.coordinator, pages=3, text="Gamma")
        landscape = pdf_bytes(1, "Wide", landscape=True)
        wide = paper_for(gamma, uploaded_by=tenant_a.coordinator, pages=1, text="Wide")
        with private_storage.open(wide.file.name, "wb") as handle:
            handle.write(landscape)
        word = docx_bytes()
        Paper.objects.create(
            item=gamma,
            file=private_storage.save(stored_name(f"papers/{meeting.pk}", DOCX), ContentFile(word)),
            name="Moderation grid.docx",
            content_type=DOCX,
            size=len(word),
            no_pupil_data=True,
            uploaded_by=tenant_a.coordinator,
        )
        secret = AgendaItemFactory(meeting=meeting, position=4, title="Staffing", confidential=True)
        paper_for(secret, uploaded_by=tenant_a.coordinator, pages=1, text="Secret")
        InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
    return meeting


def _pack(client, tenant, meeting) -> bytes:
    response = client.get(reverse("meetings:pack", kwargs={"partnership_slug": tenant.slug, "meeting_pk": meeting.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="spring-partnership-meeting-')
    return response.content


def test_the_agenda_gives_the_page_each_items_papers_start_on(client_for, tenant_a, meeting):
    pdf = _pack(client_for(tenant_a.headteacher), tenant_a, meeting)
    pages = _pages_text(pdf)
    agenda = next(text for text in pages if "Agenda" in text and "Budget" in text)
    starts = {}
    for title in ("Budget", "Moderation"):
        line = next(line for line in agenda.splitlines() if title in line)
        starts[title] = int(line.split()[-1])
    assert "Alpha page 1" in pages[starts["Budget"] - 1]
    assert "Alpha page 2" in pages[starts["Budget"]]
    assert "Gamma page 1" in pages[starts["Moderation"] - 1]
    # The headteacher is invited, so entitled, but a confidential paper is opened on its own, on the record.
    assert not any("Secret page 1" in text for text in pages)
    staffing = next(line for line in agenda.splitlines() if "Staffing" in line)
    assert not staffing.split()[-1].isdigit()
    assert "Confidential: its papers are not in this pack" in agenda
    updates = next(line for line in agenda.splitlines() if "Headteachers' updates" in line)
    assert not updates.split()[-1].isdigit()  # no paper, no page number
    assert "Attached to this PDF: Moderation grid.docx" in agenda


def test_every_page_has_the_footer_and_every_item_a_bookmark(client_for, tenant_a, meeting):
    pdf = _pack(client_for(tenant_a.headteacher), tenant_a, meeting)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total == 2 + 2 + 3 + 1  # cover, agenda; Alpha, Gamma, Wide (the confidential Secret is apart)
    for number, text in enumerate(_pages_text(pdf), 1):
        assert f"Page {number} of {total}" in text
        assert "Spring partnership meeting" in text
    outline = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert list(outline) == [
        "Cover and agenda",
        "1. Budget",
        "2. Headteachers' updates",
        "3. Moderation",
        "4. Staffing",
    ]
    assert outline["1. Budget"] == 2 and outline["3. Moderation"] == 4 and outline["4. Staffing"] == 1
    wide = reader.pages[7]
    assert float(wide.mediabox.width) > float(wide.mediabox.height)  # the landscape paper keeps its shape


def test_the_pack_has_a_title_a_language_and_the_office_file_attached(client_for, tenant_a, meeting):
    reader = PdfReader(io.BytesIO(_pack(client_for(tenant_a.headteacher), tenant_a, meeting)))
    assert reader.metadata.title.startswith("Agenda and papers: Spring partnership meeting")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # the cover and agenda are tagged
    with scopes_disabled():
        word = Paper.objects.get(item__meeting=meeting, content_type=DOCX)
    with private_storage.open(word.file.name, "rb") as handle:
        assert dict(reader.attachments) == {"3 - Moderation grid.docx": [handle.read()]}


def test_a_member_not_invited_gets_no_confidential_papers(client_for, tenant_a, meeting):
    with scopes_disabled():
        other_head = UserFactory(full_name="Uninvited Head")
        give_role(other_head, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    pdf = _pack(client_for(other_head), tenant_a, meeting)
    text = "".join(_pages_text(pdf))
    assert "Staffing" in text and "Its papers are seen only by those invited" in text
    assert "Secret page 1" not in text
    assert "Alpha page 1" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 8


def test_the_pack_is_built_afresh_so_a_changed_paper_is_in_it(client_for, tenant_a, meeting):
    client = client_for(tenant_a.coordinator)
    before = "".join(_pages_text(_pack(client, tenant_a, meeting)))
    with scopes_disabled():
        paper = Paper.objects.get(item__meeting=meeting, item__position=1)
        with private_storage.open(paper.file.name, "wb") as handle:
            handle.write(pdf_bytes(2, "Revised"))
    after = "".join(_pages_text(_pack(client, tenant_a, meeting)))
    assert "Alpha page 1" in before and "Revised page 1" in after and "Alpha page 1" not in after


def test_an_unpublished_agenda_has_no_pack_for_members(client_for, tenant_a, meeting):
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(papers_version=0, agenda_status="agreed")
    url = reverse("meetings:pack", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": meeting.pk})
    assert client_for(tenant_a.headteacher).get(url).status_code == 404
    assert client_for(tenant_a.coordinator).get(url).status_code == 200


def test_the_pack_ends_with_the_last_meetings_minutes_and_the_open_actions(client_for, tenant_a, meeting):
    import datetime

    from django.utils import timezone

    from meetings.models import ActionPoint, Minutes

    with scopes_disabled():
        last = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            title="Autumn partnership meeting",
            starts=timezone.now() - datetime.timedelta(days=40),
            ends=timezone.now() - datetime.timedelta(days=40) + datetime.timedelta(hours=1),
        )
        AgendaItemFactory(meeting=last, position=1, title="Budget", notes="Reserves are healthy.")
        Minutes.objects.create(meeting=last, status="circulated", circulated_at=timezone.now())
        ActionPoint.objects.create(
            meeting=last,
            description="Send the budget to governors",
            owner=tenant_a.headteacher,
            due=timezone.localdate() - datetime.timedelta(days=3),
            created_by=tenant_a.coordinator,
        )
    pdf = _pack(client_for(tenant_a.headteacher), tenant_a, meeting)
    pages = _pages_text(pdf)
    agenda = next(text for text in pages if "Also in this pack" in text)
    minutes_line = next(line for line in agenda.splitlines() if "Minutes of Autumn partnership meeting" in line)
    actions_line = next(line for line in agenda.splitlines() if "Open action points" in line)
    minutes_page, actions_page = int(minutes_line.split()[-1]), int(actions_line.split()[-1])
    assert "Reserves are healthy." in pages[minutes_page - 1]
    words = pages[actions_page - 1].split()  # the table's cells wrap within their columns
    assert {"Send", "budget", "governors", "Partnership", "Head", "(overdue)"} <= set(words)
    titles = [item.title for item in PdfReader(io.BytesIO(pdf)).outline]
    assert titles[-2:] == [f"Minutes of {last} (circulated)", "Open action points"]


def test_a_url_in_what_people_type_is_never_fetched_when_a_pdf_is_made(monkeypatch):
    from meetings import pack

    asked = []

    def refuse(self, url, headers=None):
        asked.append(url)
        raise ValueError("no")

    monkeypatch.setattr(pack.FetchNothing, "fetch", refuse)
    title = '<img src="http://169.254.169.254/latest">'  # as if a title carried markup
    html = f'<html lang="en-GB"><head><title>T</title></head><body>{title}<p>Hi</p></body></html>'
    pdf = pack.pdf_from_html(html)
    assert pdf.startswith(b"%PDF-") and asked == ["http://169.254.169.254/latest"]
