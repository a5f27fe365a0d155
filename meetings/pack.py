"""The agenda pack: one PDF a member can read on a train or print.

A cover and the agenda (rendered by WeasyPrint as tagged PDF/UA, with the page each item's papers
start on), then every PDF paper in agenda order, then the last meeting's minutes (draft or not, as the
reader may see them) and the open action points, with "page N of M" and the meeting in every page's
footer and a bookmark per item (pypdf). Office documents that cannot be shown as pages travel inside
the PDF as attachments, listed on the agenda. The pack is built for its reader from the items they may
read, whenever it is asked for, so it always shows the papers as they are now.

The papers are other people's PDFs: the cover and agenda are tagged, the papers keep whatever tags
they came with (pypdf does not merge structure trees).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, TextStringObject
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core.files import private_storage
from meetings.models import AgendaItem, Meeting, Paper

LANGUAGE = "en-GB"


@dataclass
class Extra:
    """A part of the pack after the papers: the last meeting's minutes, the open action points."""

    title: str
    pdf: bytes
    pages: int = 0
    page: int | None = None


@dataclass
class PackItem:
    """One agenda item as the pack shows it: where its papers start, and what is attached instead."""

    item: AgendaItem
    pdfs: list[Paper] = field(default_factory=list)
    attachments: list[Paper] = field(default_factory=list)
    withheld: bool = False  # confidential, and the reader is not entitled: listed, papers left out
    # Confidential and the reader is entitled: still left out, since each opening of a confidential paper
    # is recorded (meetings.services.agenda.paper_read) and a pack would open them all unrecorded.
    apart: bool = False
    page: int | None = None


class FetchNothing(URLFetcher):
    """The PDFs need nothing from outside: fonts are the system's, styles are inline. A URL in what
    people typed (a title, a note) must never make the server fetch it."""

    def fetch(self, url, headers=None):
        raise ValueError(f"PDFs load no outside resources ({url[:60]})")


def pdf_from_html(html: str, *, tagged: bool = True) -> bytes:
    """HTML to PDF, tagged (PDF/UA) unless it is an overlay, fetching nothing from anywhere."""
    document = HTML(string=html, base_url=None, url_fetcher=FetchNothing())
    return document.write_pdf(pdf_variant="pdf/ua-1" if tagged else None)


def _render(template: str, context: dict, *, tagged: bool = True) -> bytes:
    return pdf_from_html(render_to_string(template, context), tagged=tagged)


def _front(meeting: Meeting, entries: list[PackItem], when: str, extras: list[Extra]) -> bytes:
    """The cover and agenda with each item's first page; rendered until the numbers settle (the
    agenda's own length decides where the papers start)."""
    front = b""
    pages = 0
    for _ in range(3):
        context = {"meeting": meeting, "entries": entries, "extras": extras, "when": when, "language": LANGUAGE}
        front = _render("meetings/pack/front.html", context)
        front_pages = len(PdfReader(io.BytesIO(front)).pages)
        if front_pages == pages:
            break
        pages = front_pages
        page = pages + 1
        for entry in entries:
            entry.page = page if entry.pdfs else None
            page += sum(paper.pages or 0 for paper in entry.pdfs)
        for extra in extras:
            extra.page = page
            page += extra.pages
    return front


def _footers(writer: PdfWriter, label: str) -> None:
    """Stamp 'label, page N of M' at the foot of every page, each overlay the size of its page."""
    sizes = []
    for page in writer.pages:
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        sizes.append((float(box.width), float(box.height)))
    overlay = PdfReader(
        io.BytesIO(
            _render("meetings/pack/footers.html", {"sizes": sizes, "label": label, "language": LANGUAGE}, tagged=False)
        )
    )
    for page, stamp in zip(writer.pages, overlay.pages, strict=True):
        box = page.mediabox
        page.merge_transformed_page(stamp, Transformation().translate(float(box.left), float(box.bottom)))


def render_pdf(template: str, context: dict) -> bytes:
    """A tagged PDF (PDF/UA) from a template whose <html> names its language and <title> its title."""
    return _render(template, context | {"language": LANGUAGE})


def agenda_pack(meeting: Meeting, items: list[AgendaItem], *, when: str, extras: list[tuple[str, bytes]] = ()) -> bytes:
    """The pack for a reader who sees `items` (from `selectors.agenda_for`: each with `readable` and
    `shown_papers`), then `extras`: (title, PDF) parts such as the last meeting's minutes."""
    extras = [Extra(title, pdf, len(PdfReader(io.BytesIO(pdf)).pages)) for title, pdf in extras]
    entries = []
    for item in items:
        entry = PackItem(item=item, withheld=not item.readable, apart=item.readable and item.confidential)
        for paper in [] if item.confidential else item.shown_papers:
            (entry.pdfs if paper.is_pdf else entry.attachments).append(paper)
        entries.append(entry)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_front(meeting, entries, when, extras))))
    front_pages = len(writer.pages)
    writer.add_outline_item(title="Cover and agenda", page_number=0)
    for entry in entries:
        start = len(writer.pages)
        for paper in entry.pdfs:
            with private_storage.open(paper.file.name, "rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())), import_outline=False)
        target = start if entry.pdfs else min(1, front_pages - 1)
        writer.add_outline_item(title=f"{entry.item.position}. {entry.item.title}", page_number=target)
        for paper in entry.attachments:
            with private_storage.open(paper.file.name, "rb") as handle:
                writer.add_attachment(f"{entry.item.position} - {paper.name}", handle.read())
    for extra in extras:
        writer.add_outline_item(title=extra.title, page_number=len(writer.pages))
        writer.append(PdfReader(io.BytesIO(extra.pdf)), import_outline=False)
    _footers(writer, f"{meeting.title}, {timezone.localtime(meeting.starts):%-d %B %Y}")
    writer.add_metadata({"/Title": f"Agenda and papers: {meeting.title}, {when}", "/Author": meeting.partnership.name})
    writer._root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    writer.page_mode = "/UseOutlines"
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
