"""Signing the agreement on paper: a school uploads the scan of its copy, signed by hand, and the
coordinator confirms it or sends it back with a reason. Who may do each is partnerships.selectors.paper.

A scan is a PDF (typed by its content, never its name) no larger than AGREEMENT_UPLOAD_MAX_BYTES, kept
under PRIVATE_MEDIA_ROOT with its SHA-256. The blank copy carries its identifier in the PDF's keywords:
a scanner makes a new PDF without it, but a school that uploads another copy's PDF (another school's,
or an earlier version's) is told which copy it is. A scan without an identifier is the coordinator's to
check against the copy. A replaced or returned scan's file is deleted once the change is committed.
"""

from __future__ import annotations

import io
import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.files import PDF, document_type, private_storage
from core.outbox import outbox_enqueue
from partnerships.agreements.document import sha256
from partnerships.agreements.pdf import KEYWORD_PREFIX
from partnerships.models import AgreementCopy
from partnerships.selectors.paper import scan_check_refusal, scan_checkers, scan_upload_refusal, size_label

log = logging.getLogger(__name__)

C = AgreementCopy.Status
REASON_MAX = 1000
_IDENTIFIER = re.compile(re.escape(KEYWORD_PREFIX) + r"\s*([A-Z0-9][A-Z0-9-]{0,19})", re.I)
_SCAN_FIELDS = ["status", "scan", "scan_sha256", "scan_uploaded_at", "scan_uploaded_by"]


def _audit(actor: User, copy: AgreementCopy, action: AuditAction, summary: str, **data) -> None:
    audit_record(
        subject=copy,
        actor=actor,
        partnership=copy.version.partnership,
        action=action,
        summary=summary,
        data={"copy": copy.pk, "version": copy.version.number, "school": copy.school_id, **data},
    )


def _url(name: str, copy: AgreementCopy) -> str:
    slug = copy.version.partnership.slug
    return settings.SITE_URL + reverse(f"agreement:{name}", kwargs={"partnership_slug": slug, "copy_pk": copy.pk})


def _about(copy: AgreementCopy) -> str:
    """What a scan's emails are about: this copy's scan of that moment, so each upload is told of."""
    return f"agreement-scan:{copy.pk}:{copy.scan_uploaded_at.timestamp():.6f}"


def _locked(copy: AgreementCopy) -> AgreementCopy:
    """The copy's row is the lock: an upload, a check and a publish that voids it wait in turn."""
    return AgreementCopy.objects.select_for_update().select_related("version__partnership", "school").get(pk=copy.pk)


def _pdf_identifier(data: bytes) -> str:
    """The Commonroom identifier in the PDF's keywords ('' if it has none). ValidationError if the PDF
    cannot be opened: a scan the coordinator cannot read is no use to them."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError({"scan": "The PDF is protected by a password: save it without one and upload that"})
        if len(reader.pages) == 0:
            raise ValidationError({"scan": "The PDF has no pages: scan the signed copy again"})
        info = reader.metadata
        keywords = str(info.get("/Keywords", "") or "") if info is not None else ""
    except ValidationError:
        raise
    except Exception as error:  # a damaged upload is an answer for the person, never a server error
        log.info("Unreadable scan of an agreement: %s", error)
        raise ValidationError(
            {"scan": "The PDF is damaged and cannot be opened: scan the signed copy again and upload that"}
        ) from error
    match = _IDENTIFIER.search(keywords)
    return match.group(1).upper() if match else ""


def _scan_data(upload: UploadedFile | None) -> bytes:
    """The uploaded scan's bytes, if it is a PDF within the size limit."""
    limit = settings.AGREEMENT_UPLOAD_MAX_BYTES
    if upload is None or not upload.size:
        raise ValidationError({"scan": "Select the scan of the signed copy"})
    if upload.size > limit:
        raise ValidationError({"scan": f"The scan must be smaller than {size_label(limit)}"})
    if document_type(upload) != PDF:
        raise ValidationError({"scan": "The scan must be a PDF: scan the signed copy to PDF and upload that"})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _identifier_refusal(copy: AgreementCopy, identifier: str, data: bytes) -> str:
    """Why a PDF that names a copy is not the scan of `copy`; empty if it may be."""
    if not identifier:
        return ""  # a scanner's PDF: the coordinator compares it with the copy
    version = copy.version
    if identifier == copy.identifier:
        if sha256(data) == copy.blank_sha256:
            return "This is the unsigned copy as it was downloaded: print it, sign it and upload the scan of it"
        return ""
    other = (
        AgreementCopy.objects.filter(identifier=identifier, version__partnership_id=version.partnership_id)
        .select_related("version", "school")
        .first()
    )
    if other is None:
        return f"This is not {copy.school.name}'s copy of version {version.number}: upload the scan of that copy"
    if other.version_id == version.pk:
        return (
            f"This is the copy for {other.school.name}, not {copy.school.name}: upload the scan of "
            f"{copy.school.name}'s copy of version {version.number}"
        )
    whose = "" if other.school_id == copy.school_id else f" for {other.school.name}"
    return (
        f"This is the copy for version {other.version.number}{whose}: upload the scan of "
        f"{copy.school.name}'s copy of version {version.number}"
    )


@transaction.atomic
def agreement_scan_upload(*, actor: User, copy: AgreementCopy, upload: UploadedFile | None) -> AgreementCopy:
    """Upload the scan of a school's copy signed on paper, for the coordinator to check. While a scan
    awaits its check, a new upload replaces it."""
    copy = _locked(copy)
    if refusal := scan_upload_refusal(actor, copy):
        raise ValidationError(refusal)
    data = _scan_data(upload)
    identifier = _pdf_identifier(data)
    if refusal := _identifier_refusal(copy, identifier, data):
        raise ValidationError({"scan": refusal})
    version, partnership = copy.version, copy.version.partnership
    replaced = copy.scan.name if copy.scan else ""
    name = private_storage.save(
        f"agreements/{partnership.pk}/{copy.identifier}-scan-{uuid.uuid4().hex[:12]}.pdf", ContentFile(data)
    )
    try:
        copy.status = C.SCAN_UPLOADED
        copy.scan, copy.scan_sha256 = name, sha256(data)
        copy.scan_uploaded_at, copy.scan_uploaded_by = timezone.now(), actor
        copy.save(update_fields=_SCAN_FIELDS)
        _audit(
            actor,
            copy,
            AuditAction.AGREEMENT_SCAN_UPLOADED,
            f"{copy.school.name}'s copy of version {version.number} signed on paper: scan "
            + ("replaced" if replaced else "uploaded")
            + " for the coordinator's check",
            sha256=copy.scan_sha256,
            size=len(data),
            identifier=identifier,
            replaced=bool(replaced),
        )
        for checker in scan_checkers(partnership.pk):
            if checker.pk == actor.pk:
                continue  # the coordinator who uploaded it checks it when they are ready
            outbox_enqueue(
                about=_about(copy),
                kind="agreement.scan_uploaded",
                recipient=checker.email,
                template="partnerships/email/agreement_scan_uploaded",
                context={
                    "user": checker,
                    "copy": copy,
                    "uploader": actor,
                    "partnership": partnership,
                    "replaced": bool(replaced),
                    "url": _url("paper_check", copy),
                },
                subject=f"{copy.school.name}'s agreement signed on paper: please check the scan",
            )
    except Exception:
        private_storage.delete(name)
        raise
    if replaced and replaced != name:
        transaction.on_commit(lambda: private_storage.delete(replaced))
    return copy


def _refuse_unless_checkable(actor: User, copy: AgreementCopy, scan_sha256: str | None) -> None:
    if refusal := scan_check_refusal(actor, copy):
        raise ValidationError(refusal)
    if scan_sha256 is not None and scan_sha256 != copy.scan_sha256:
        raise ValidationError("A new scan was uploaded while you were checking: check that one")


def _tell_uploader(actor: User, copy: AgreementCopy, *, kind: str, subject: str, **context) -> None:
    uploader = copy.scan_uploaded_by
    if uploader is None or uploader.pk == actor.pk:
        return  # they are the one who checked it
    outbox_enqueue(
        about=_about(copy),
        kind=kind,
        recipient=uploader.email,
        template=f"partnerships/email/{kind.replace('.', '_')}",
        context={
            "user": uploader,
            "copy": copy,
            "partnership": copy.version.partnership,
            "url": _url("copy", copy),
            **context,
        },
        subject=subject,
    )


@transaction.atomic
def agreement_scan_confirm(*, actor: User, copy: AgreementCopy, scan_sha256: str | None = None) -> AgreementCopy:
    """The coordinator has compared the scan with the copy: the school's copy is signed on paper.
    `scan_sha256`, when given, is the scan they checked: a scan replaced meanwhile is not confirmed."""
    copy = _locked(copy)
    _refuse_unless_checkable(actor, copy, scan_sha256)
    copy.status, copy.confirmed_at, copy.confirmed_by = C.SIGNED_ON_PAPER, timezone.now(), actor
    copy.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    _audit(
        actor,
        copy,
        AuditAction.AGREEMENT_SCAN_CONFIRMED,
        f"{copy.school.name}'s copy of version {copy.version.number} confirmed as signed on paper",
        sha256=copy.scan_sha256,
    )
    _tell_uploader(
        actor,
        copy,
        kind="agreement.scan_confirmed",
        subject=f"{copy.school.name}'s agreement signed on paper is confirmed",
    )
    return copy


@transaction.atomic
def agreement_scan_reject(
    *, actor: User, copy: AgreementCopy, reason: str, scan_sha256: str | None = None
) -> AgreementCopy:
    """The coordinator sends the scan back, saying why: the copy awaits its signatures again and the
    scan is deleted (the audit row keeps its SHA-256 and the reason)."""
    copy = _locked(copy)
    _refuse_unless_checkable(actor, copy, scan_sha256)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the scan is sent back, so the school can put it right"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX} characters or fewer"})
    _tell_uploader(
        actor,
        copy,
        kind="agreement.scan_rejected",
        subject=f"{copy.school.name}'s agreement signed on paper was sent back",
        reason=reason,
        upload_url=_url("paper_upload", copy),
    )
    removed, checked = copy.scan.name, copy.scan_sha256
    copy.status, copy.scan, copy.scan_sha256 = C.AWAITING, "", ""
    copy.scan_uploaded_at, copy.scan_uploaded_by = None, None
    copy.save(update_fields=_SCAN_FIELDS)
    _audit(
        actor,
        copy,
        AuditAction.AGREEMENT_SCAN_REJECTED,
        f"{copy.school.name}'s copy of version {copy.version.number} signed on paper sent back: {reason}",
        sha256=checked,
        reason=reason,
    )
    transaction.on_commit(lambda: private_storage.delete(removed))
    return copy
