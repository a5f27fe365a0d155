"""Checking a signed copy of the agreement: is a file a genuine sealed copy, and what the public may know
of a copy by its identifier.

A copy's identifier is printed in every footer of it and is public: anyone holding the paper may look
it up (the public page) and learn only what the paper itself says to its reader, namely the partnership,
the version and its term, the school, which roles signed and when, whether it is complete, and the
SHA-256 of the sealed copy so they can compare their file with it. Never a signer's name, address or
anything else they recorded when signing. A copy replaced before it was signed says only that.

A file is genuine when its seal is valid, covers the whole file and was made here
(partnerships.agreements.verify.verify_pdf), AND its SHA-256 is the one stored for the copy whose
identifier it carries. Copies are looked up across every partnership: a school may hold a copy of
another partnership's agreement and a member of this one may be asked to check it; who may then see
the signers' names is `named_signatures`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django_scopes import scopes_disabled

from partnerships.agreements.document import sha256
from partnerships.agreements.verify import NOT_A_PDF, NOT_SEALED, UNREADABLE, verify_pdf
from partnerships.models import AgreementCopy, AgreementSignature
from partnerships.selectors.signing import may_see_copy

C = AgreementCopy.Status
# What verify_pdf says of a file that is no sealed copy at all: the file is the wrong one, not a forgery.
NOT_CHECKABLE = (NOT_A_PDF, UNREADABLE, NOT_SEALED)
IDENTIFIER_MAX = AgreementCopy._meta.get_field("identifier").max_length


@dataclass(frozen=True)
class Signed:
    """A signature as the public may see it: the role that signed and when, no name."""

    role_label: str
    signed_at: datetime.datetime


@dataclass(frozen=True)
class PublicRecord:
    """What anyone may know of one school's copy, by its identifier."""

    identifier: str
    partnership_name: str
    title: str
    version_number: int
    starts: datetime.date
    ends: datetime.date | None
    school_name: str
    status: str
    status_label: str
    sealed_at: datetime.datetime | None
    signed_sha256: str  # of the sealed copy; empty until it is sealed
    signatures: list[Signed] = field(default_factory=list)  # empty for a copy replaced before it was signed
    # Not shown: which rows these are, so a signed-in page can ask whether its reader may see more.
    copy_id: int = 0
    partnership_id: int = 0

    @property
    def complete(self) -> bool:
        return self.status in AgreementCopy.COMPLETE

    @property
    def sealed(self) -> bool:
        return bool(self.signed_sha256)

    @property
    def void(self) -> bool:
        return self.status == C.VOID


def public_record(identifier: str) -> PublicRecord | None:
    """The copy with this identifier, in whichever partnership, as the public may see it; None when no
    copy has it. Two queries."""
    if not identifier or len(identifier) > IDENTIFIER_MAX:
        return None
    with scopes_disabled():
        copy = (
            AgreementCopy.objects.select_related("version__partnership", "school").filter(identifier=identifier).first()
        )
        if copy is None:
            return None
        signatures = []
        if copy.status != C.VOID:  # a replaced copy's signatures were voided with it: none to show
            signatures = [
                Signed(role_label=s.role_label, signed_at=s.signed_at)
                for s in AgreementSignature.objects.filter(copy=copy, voided_at__isnull=True).order_by(
                    "signed_at", "pk"
                )
            ]
    version = copy.version
    return PublicRecord(
        identifier=copy.identifier,
        partnership_name=version.partnership.name,
        title=version.title,
        version_number=version.number,
        starts=version.starts,
        ends=version.ends,
        school_name=copy.school.name,
        status=copy.status,
        status_label=copy.get_status_display(),
        sealed_at=copy.sealed_at,
        signed_sha256=copy.signed_sha256,
        signatures=signatures,
        copy_id=copy.pk,
        partnership_id=version.partnership_id,
    )


class Outcome:
    GENUINE = "genuine"  # sealed here, untouched, and the very copy stored under its identifier
    ALTERED = "altered"  # the seal no longer matches the contents, or something was added after it
    NOT_OURS = "not_ours"  # an intact seal, but not one made by a partnership of this installation
    UNKNOWN = "unknown"  # sealed here, but no copy has the identifier it carries
    DIFFERENT = "different"  # sealed here, but not the file stored under the identifier it carries


@dataclass(frozen=True)
class FileVerification:
    """The answer about an uploaded file. `problem` is set when the file could not be checked at all
    (not a PDF, damaged, or carrying no seal): that is said next to the upload field."""

    sha256: str
    problem: str = ""
    outcome: str = ""
    identifier: str = ""  # as the file carries it
    record: PublicRecord | None = None  # the copy stored under that identifier, if any
    problems: list[str] = field(default_factory=list)  # what the seal's check found

    @property
    def genuine(self) -> bool:
        return self.outcome == Outcome.GENUINE


def verification_of(data: bytes) -> FileVerification:
    """Is `data` a genuine sealed copy of an agreement made here, and which? Reads only."""
    digest = sha256(data)
    checked = verify_pdf(data)
    problem = next((p for p in checked.problems if p in NOT_CHECKABLE), "")
    if problem:
        return FileVerification(sha256=digest, problem=problem, identifier=checked.identifier)
    record = public_record(checked.identifier)
    if not checked.intact:
        outcome = Outcome.ALTERED
    elif not checked.genuine:
        outcome = Outcome.NOT_OURS
    elif record is None:
        outcome = Outcome.UNKNOWN
    elif not record.signed_sha256 or record.signed_sha256 != digest:
        outcome = Outcome.DIFFERENT
    else:
        outcome = Outcome.GENUINE
    return FileVerification(
        sha256=digest,
        outcome=outcome,
        identifier=checked.identifier,
        record=record,
        problems=list(checked.problems),
    )


@dataclass(frozen=True)
class NamedSignature:
    role_label: str
    name: str
    signed_at: datetime.datetime


def named_signatures(tenant, record: PublicRecord | None) -> list[NamedSignature]:
    """The signers' names of a copy, for a signed-in reader who may see them: only a copy of the reader's
    own partnership (tenant.partnership, whose scope is active) that is shared with them
    (partnerships.selectors.signing.may_see_copy). Empty for anyone else, and for a replaced copy."""
    if record is None or record.void or record.partnership_id != tenant.partnership.pk:
        return []
    copy = AgreementCopy.objects.filter(pk=record.copy_id).first()  # through the active scope
    if copy is None or not may_see_copy(tenant, copy):
        return []
    return [
        NamedSignature(role_label=s.role_label, name=s.name, signed_at=s.signed_at)
        for s in AgreementSignature.objects.filter(copy=copy, voided_at__isnull=True).order_by("signed_at", "pk")
    ]
