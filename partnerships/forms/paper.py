"""Signing the agreement on paper: the scan's upload, and the coordinator's check of it."""

from django import forms

from core.forms import Form
from partnerships.services.paper import REASON_MAX


class ScanUploadForm(Form):
    scan = forms.FileField(
        label="Upload the signed copy",
        help_text="A PDF of every page, signed where the copy asks for signatures",
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={
            "required": "Select the scan of the signed copy",
            "empty": "The file is empty: select the scan of the signed copy",
            "invalid": "Select the scan of the signed copy",
            "missing": "Select the scan of the signed copy",
            "max_length": "The file's name is too long: rename it and upload it again",
        },
    )


class ScanConfirmForm(Form):
    """The scan the coordinator checked: a scan replaced while they were checking is not confirmed."""

    scan_sha256 = forms.CharField(
        label="Fingerprint of the scan you checked", widget=forms.HiddenInput, max_length=64, required=False
    )


class ScanRejectForm(Form):
    scan_sha256 = forms.CharField(
        label="Fingerprint of the scan you checked", widget=forms.HiddenInput, max_length=64, required=False
    )
    reason = forms.CharField(
        label="Why are you sending it back?",
        help_text="The person who uploaded it reads this in an email, for example: the head has not dated it",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the scan is sent back, so the school can put it right"},
    )
    error_phrases = {"reason": "the reason"}
