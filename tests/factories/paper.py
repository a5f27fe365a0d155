"""Signing the agreement on paper: a published version's copies, scans to upload, and a copy whose scan
awaits the coordinator's check. Called with scopes disabled, as fixtures are built."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships.models import AgreementCopy
from tests.factories.documents import pdf_bytes, upload

REASON = "The chair of governors has not signed page 6"


def published_copy(t, school=None) -> AgreementCopy:
    """`school`'s copy (the tenant's headteacher's school by default) of a newly published version."""
    from partnerships.services.agreements import agreement_draft_create, agreement_publish
    from partnerships.services.signing import agreement_copies_make

    version = agreement_draft_create(
        actor=t.coordinator,
        partnership=t.partnership,
        template="schools_partnership",
        starts=datetime.date(2024, 9, 1),
        ends=None,
    )
    version = agreement_publish(actor=t.coordinator, version=version)
    agreement_copies_make(version=version)  # the task publishing queues, run here
    return AgreementCopy.objects.select_related("version__partnership", "school").get(
        version=version, school=school or t.schools[0]
    )


def scan_bytes(text: str = "Signed on paper", pages: int = 2) -> bytes:
    """A PDF as a scanner makes it: real pages, no Commonroom identifier in its keywords."""
    return pdf_bytes(pages=pages, text=text)


def scan_upload(data: bytes | None = None, name: str = "scan.pdf") -> SimpleUploadedFile:
    return upload(name, scan_bytes() if data is None else data)


def scan_uploaded(t, copy: AgreementCopy | None = None) -> AgreementCopy:
    """A copy whose scan the headteacher uploaded, awaiting the coordinator's check."""
    from partnerships.services.paper import agreement_scan_upload

    return agreement_scan_upload(actor=t.headteacher, copy=copy or published_copy(t), upload=scan_upload())


# The use cases' arguments, for tests/test_services_audit.py.


def scan_upload_case(t) -> dict:
    return {"actor": t.headteacher, "copy": published_copy(t), "upload": scan_upload()}


def scan_confirm_case(t) -> dict:
    return {"actor": t.coordinator, "copy": scan_uploaded(t)}


def scan_reject_case(t) -> dict:
    return {"actor": t.coordinator, "copy": scan_uploaded(t), "reason": REASON}
