"""The partnership agreement's pages (partnerships/urls/agreements.py)."""

import datetime

from django.core.files.base import ContentFile

from core.files import private_storage
from partnerships.models import (
    AgreementCopy,
    AgreementMember,
    AgreementReminder,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    SignatureBlock,
)
from partnerships.roles import SCHOOL_ROLES, Role
from tests.factories.partnerships import PDF

_ALL = set(Role)  # view_partnership: every role reads the agreement
_COORDINATOR = {Role.COORDINATOR}  # change_constitution
# A school's copy is its own and the partnership's: its people, the coordinator and the chair who signs it.
_COPY = {Role.COORDINATOR, Role.CHAIR} | set(SCHOOL_ROLES)


def _version(tenant):
    """A draft with a section, a signatory and a member school, so every page has something to show."""
    version, made = AgreementVersion.objects.get_or_create(
        partnership=tenant.partnership,
        number=1,
        defaults={"starts": datetime.date(2024, 9, 1), "ends": datetime.date(2027, 8, 31)},
    )
    if made:
        AgreementSection.objects.create(version=version, key="aims", order=1, heading="Aims", text="- Share")
        SignatureBlock.objects.create(version=version, kind="headteacher", label="Headteacher", order=1)
        AgreementMember.objects.create(version=version, school=tenant.schools[0])
    return version


def _section(tenant):
    return AgreementSection.objects.get(version=_version(tenant), key="aims").pk


def _copy(tenant):
    """A published version 2 with the copy of the school the matrix's school roles are held for
    (tenant.schools[1]), its unsigned and signed PDFs stored, so every copy page has a file to serve."""
    version, made = AgreementVersion.objects.get_or_create(
        partnership=tenant.partnership,
        number=2,
        defaults={"starts": datetime.date(2024, 9, 1), "status": AgreementVersion.Status.PUBLISHED},
    )
    if made:
        SignatureBlock.objects.create(version=version, kind="headteacher", label="Headteacher", order=1)
        AgreementMember.objects.create(version=version, school=tenant.schools[1])
    copy = AgreementCopy.objects.filter(version=version).first()
    if copy is None:
        name = private_storage.save(f"agreements/{tenant.partnership.pk}/copy.pdf", ContentFile(PDF))
        copy = AgreementCopy.objects.create(
            version=version,
            school=tenant.schools[1],
            identifier=f"TEST-{tenant.partnership.pk:04d}-COPY",
            blank=name,
            blank_sha256="0" * 64,
            signed=name,
            scan=name,  # so the scan of a copy signed on paper (registry/paper.py) has a file to serve
        )
        # A signature and a reminder too, so the isolation test finds a row of each agreement model.
        block = SignatureBlock.objects.get(version=version)
        AgreementSignature.objects.create(
            copy=copy,
            block=block,
            signer=tenant.headteacher,
            name="A Head",
            role_label="Headteacher",
            method="password",
            document_sha256="0" * 64,
        )
        AgreementReminder.objects.create(
            version=version, user=tenant.headteacher, kind="sign", day=datetime.date(2026, 11, 30)
        )
    return copy


def _block(tenant):
    return SignatureBlock.objects.get(version=_copy(tenant).version).pk


OBJECT_KWARGS = {
    "copy_pk": lambda tenant: _copy(tenant).pk,
    "block_pk": _block,
    "version_pk": lambda tenant: _version(tenant).pk,
    "other_version_pk": lambda tenant: _version(tenant).pk,
    "section_pk": _section,
}

ALLOWED = {
    "agreement:current": _ALL,
    "agreement:version": _ALL,
    "agreement:compare": _ALL,
    "agreement:draft": _COORDINATOR,
    "agreement:term": _COORDINATOR,
    "agreement:signatories": _COORDINATOR,
    "agreement:publish": _COORDINATOR,
    "agreement:renew": _COORDINATOR,
    "agreement:section": _COORDINATOR,
    "agreement:preview": _COORDINATOR,
    "agreement:board": _ALL,
    "agreement:board_export": _ALL,  # each reader's file holds the copies their board lists
    "agreement:signed_copies": {Role.COORDINATOR, Role.CHAIR},
    "agreement:copy": _COPY,
    "agreement:copy_blank": _COPY,
    "agreement:copy_signed": _COPY,
    "agreement:sign": _COPY,
}

# A school's copy is its private record: to roles that may not see it, it does not exist.
NOT_FOUND = {
    name: set(Role) - _COPY
    for name in ("agreement:copy", "agreement:copy_blank", "agreement:copy_signed", "agreement:sign")
}
