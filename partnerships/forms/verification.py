"""Checking a signed copy: the upload of a PDF (members of a partnership), and the identifier printed in
its footer (anyone)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.forms import Form
from partnerships.services.signing import IDENTIFIER_ALPHABET

IDENTIFIER_LENGTH = 12
IDENTIFIER_EXAMPLE = "ABCD-EFGH-JKMN"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")  # spaces and the dashes a word processor may put in
NO_SUCH_IDENTIFIER = "No agreement has this identifier"
MALFORMED_IDENTIFIER = (
    f"No agreement has this identifier: an identifier is 12 letters and numbers, like {IDENTIFIER_EXAMPLE}, "
    "printed at the foot of every page of the agreement"
)


def canonical_identifier(text: str) -> str | None:
    """An identifier as typed ("abcd efgh jkmn", "ABCDEFGHJKMN") as it is stored ("ABCD-EFGH-JKMN");
    None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    raw = _SEPARATORS.sub("", text).upper()
    if len(raw) != IDENTIFIER_LENGTH or any(char not in IDENTIFIER_ALPHABET for char in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, IDENTIFIER_LENGTH, 4))


def max_megabytes() -> int:
    return max(1, settings.AGREEMENT_UPLOAD_MAX_BYTES // (1024 * 1024))


class VerifyUploadForm(Form):
    file = forms.FileField(
        label="Signed copy of the agreement",
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={
            "required": "Select the signed copy to check",
            "missing": "Select the signed copy to check",
            "invalid": "Select the signed copy to check: what was sent was not a file",
            "empty": "The file is empty: select the signed copy you were given",
            "max_length": "The file's name is too long: rename it and upload it again",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"The PDF you were sent or downloaded, no larger than {max_megabytes()} MB"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.AGREEMENT_UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"The file must be smaller than {max_megabytes()} MB: a signed copy of the agreement is much smaller"
            )
        return upload


class IdentifierForm(Form):
    identifier = forms.CharField(
        label="Document identifier",
        max_length=64,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false", "autocomplete": "off"}),
        help_text=f"Printed at the foot of every page of the agreement, like {IDENTIFIER_EXAMPLE}",
        error_messages={
            "required": "Enter the document identifier printed at the foot of the agreement",
            "max_length": MALFORMED_IDENTIFIER,
        },
    )

    def clean_identifier(self):
        identifier = canonical_identifier(self.cleaned_data["identifier"])
        if identifier is None:
            raise ValidationError(MALFORMED_IDENTIFIER)
        return identifier
