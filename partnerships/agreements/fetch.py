"""Rendering safely: the only URL fetcher agreement PDFs use.

WeasyPrint fetches every stylesheet, image, font and attachment through its `url_fetcher`. Agreement
PDFs need nothing but the app's own static files, so this fetcher serves those, found through the
staticfiles finders (or STATIC_ROOT after collectstatic) under one fixed base URL that never resolves
(`.invalid`), and small images inlined as data: URLs. Everything else (file://, any http(s) URL, a
big data: URL, a redirect, an attachment) raises WeasyPrint's FatalURLFetchingError, which stops the
rendering: a refusal is an error, never a silently missing picture. No request leaves the process: the
fetcher never calls urllib, so it cannot follow a redirect either (the renderer's past SSRF and
file-disclosure advisories were through redirects and attachments).
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

STATIC_BASE_URL = "https://static.commonroom.invalid/static/"
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}
DATA_URL_MAX_BYTES = 64 * 1024
STATIC_TYPES = {"text/css", "image/png", "image/jpeg", "image/gif", "image/svg+xml", "font/woff2", "font/woff"}


class Refused(FatalURLFetchingError):
    """A resource the agreement renderer will not fetch. A BaseException (as WeasyPrint's fatal
    error is), so nothing between here and the caller swallows it."""


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if _fetching_attachment():
            raise Refused(f"Agreement PDFs carry no attachments: {url[:80]}")
        if url.startswith("data:"):
            return _data_image(url)
        if url.startswith(STATIC_BASE_URL):
            return _static_file(url)
        raise Refused(f"Agreement PDFs load only the app's own static files, not {url[:80]}")

    def open(self, url, data=None, timeout=None):
        # urllib's entry point, overridden so nothing reaches the parent's network handlers.
        raise Refused("Agreement PDFs open no connections.")


def _fetching_attachment() -> bool:
    """WeasyPrint fetches <a rel=attachment>, <link rel=attachment> and write_pdf(attachments=) through
    the same fetcher as images; only its call stack tells them apart (write_pdf_attachment)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "write_pdf_attachment":
            return True
        frame = frame.f_back
    return False


def _data_image(url: str) -> URLFetcherResponse:
    header, _, payload = url[5:].partition(",")
    parts = header.split(";")
    mime_type = parts[0].lower()
    if mime_type not in DATA_IMAGE_TYPES or "base64" not in parts[1:]:
        raise Refused(f"Only small base64 PNG, JPEG or GIF data: URLs are allowed, not {header[:40]}")
    if len(payload) > DATA_URL_MAX_BYTES * 4 // 3 + 4:
        raise Refused(f"A data: image of more than {DATA_URL_MAX_BYTES // 1024} KB is refused.")
    try:
        body = base64.b64decode(payload, validate=True)
    except ValueError as error:
        raise Refused("A data: image that is not valid base64 is refused.") from error
    return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def _static_file(url: str) -> URLFetcherResponse:
    parts = urlsplit(url)
    relative = posixpath.normpath(unquote(parts.path[len(urlsplit(STATIC_BASE_URL).path) :]))
    if parts.query or relative.startswith(("..", "/")) or "\\" in relative or "\x00" in relative:
        raise Refused(f"Not a static file path: {url[:80]}")
    mime_type = mimetypes.guess_type(relative)[0] or ""
    if mime_type not in STATIC_TYPES:
        raise Refused(f"Agreement PDFs use only stylesheets, images and fonts, not {relative[:60]}")
    path = finders.find(relative)
    if path is None and settings.STATIC_ROOT:
        candidate = Path(safe_join(str(settings.STATIC_ROOT), relative))
        path = str(candidate) if candidate.is_file() else None
    if path is None:
        raise Refused(f"No such static file: {relative[:60]}")
    return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime_type})


def html_document(html: str) -> HTML:
    """Parsed HTML whose every resource goes through `StaticOnlyFetcher`; relative URLs resolve to
    the static base."""
    return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyFetcher())
