"""Uploaded documents: kept outside the static and media roots, typed by their content, named safely.

Papers for meetings (and later signed agreements and statements) are private records: they are stored
under PRIVATE_MEDIA_ROOT, which no URL maps, and reach a browser only through a view that checks the
reader's permission. What a file is comes from its bytes (the `filetype` library reads the magic
numbers and, for office files, the zip's members), never from its name or the browser's word: an
executable renamed .pdf is refused.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# The documents a meeting paper may be, with the extension each is saved and downloaded under.
DOCUMENT_TYPES = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", ODT: "odt"}
DOCUMENT_TYPE_NAMES = "PDF, Word (.docx), Excel (.xlsx) or OpenDocument text (.odt)"


class PrivateStorage(FileSystemStorage):
    """Files no URL serves, under PRIVATE_MEDIA_ROOT (read at each use, so tests can move it)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For a model's FileField: a callable, so migrations name it rather than a storage's settings."""
    return private_storage


def private_download(name: str, *, filename: str, content_type: str) -> FileResponse:
    """A stored private file as an attachment: never cached, and sandboxed should a browser render it
    anyway, so an uploaded document can never run in our origin."""
    response = FileResponse(
        private_storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def document_type(upload) -> str | None:
    """The MIME type of an uploaded document, read from its content; None if it is not one we take."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess_mime(head)
    if guessed in (DOCX, XLSX, ODT) and len(head) >= 8192:
        # An office file is a zip: its type is decided by members that may lie past the first 8 KB.
        guessed = filetype.guess_mime(upload.read())
        upload.seek(position)
    return guessed if guessed in DOCUMENT_TYPES else None


_UNSAFE = re.compile(r"[^\w.\- ()&,+']")


def display_name(name: str, mime: str) -> str:
    """A file name that is safe to show and to send back in a download: the last part of whatever
    path was given, without control characters or path separators, with the extension its content
    deserves, and never empty."""
    return f"{safe_stem(name, default='paper')}.{DOCUMENT_TYPES[mime]}"


def safe_stem(name: str, *, default: str) -> str:
    """The stem of the last part of whatever path was given, without control characters, path
    separators or characters a download header or a file system may mishandle; `default` if none is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # control and format characters
    name = PurePath(name.replace("\\", "/")).name
    return _UNSAFE.sub("_", PurePath(name).stem).strip(" ._")[:120] or default


def stored_name(folder: str, mime: str) -> str:
    """Where a document is kept: a random name under `folder`; the person's file name is never a path."""
    return f"{folder}/{uuid.uuid4().hex}.{DOCUMENT_TYPES[mime]}"
