"""Real documents for upload tests: PDFs rendered by WeasyPrint, office files as the zips they are."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.pack import pdf_from_html


def pdf_bytes(pages: int = 1, text: str = "Paper", *, landscape: bool = False) -> bytes:
    """A PDF of `pages` pages, each saying '<text> page N' so a test can find it with pdftotext."""
    size = "A4 landscape" if landscape else "A4"
    body = "".join(
        f'<p style="break-after: page">{text} page {n}</p>' if n < pages else f"<p>{text} page {n}</p>"
        for n in range(1, pages + 1)
    )
    head = f"<title>{text}</title><style>@page {{ size: {size} }}</style>"
    html = f'<html lang="en-GB"><head>{head}</head><body>{body}</body></html>'
    return pdf_from_html(html, tagged=False)  # through the fetcher that fetches nothing, as the app renders


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The parts that make a zip a Word document."""
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": "",
            "word/document.xml": "<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": "",
            "xl/workbook.xml": "<workbook/>",
        }
    )


def odt_bytes() -> bytes:
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """A file as a browser sends it: its name and type are the sender's word, not the truth."""
    return SimpleUploadedFile(name, content, content_type=content_type)
