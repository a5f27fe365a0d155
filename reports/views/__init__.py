"""The reports app's pages, one module per concept."""

from django.http import HttpResponse


def pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    """A report's PDF as a download that no shared cache keeps: it is one reader's to see."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
