"""Demo agreements; called by load_demo.

Exeter Beacon's 2009-2011 agreement is version 1 (its "31st April 2011" read as 30 April), superseded
by a renewed version 2 in force now, with a changed section to compare; Heart of Manchester has its
current agreement; every other partnership its agreement from its seed's template and dates. A
partnership that has any version is left as it is, so loading twice changes nothing.

Signing: Exeter Beacon's version 2 is signed by every school's headteacher and chair of governors, and
sealed; Heart of Manchester's copies are signed and sealed but for two schools still outstanding (one
with its headteacher's signature in) and one signing on paper. Every school of the two has a chair of
governors to sign (load_demo gives them, where the seed says `governors_sign`). The signatures are
written as the signing page records them, without checking each signer's password again (that would
hash the demo password once per signature).
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerships.agreements.fetch import html_document
from partnerships.models import (
    AgreementCopy,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    RoleAssignment,
    SignatureBlock,
)
from partnerships.roles import Role
from partnerships.selectors.signing import block_role_label
from partnerships.services.agreements import (
    agreement_draft_create,
    agreement_publish,
    agreement_renew,
    agreement_section_update,
    agreement_term_set,
)
from partnerships.services.paper import agreement_scan_upload
from partnerships.services.signing import agreement_copies_make, agreement_copy_seal

TEMPLATE_FOR = {
    "exeter-beacon": "learning_community",
    "heart-of-manchester": "schools_partnership",
    "swale-lcsp": "pep_headteacher",
}
EXETER_LEAVING = (
    "A school that wishes to withdraw discusses the terms of its withdrawal with the strategy group, "
    "giving **a term's notice** in writing.\n\n- Contributions already paid for the year are not refunded\n"
    "- The school's development areas are handed on to another member"
)


def load(partnership, spec, admin):
    if AgreementVersion.objects.filter(partnership=partnership).exists():
        return
    starts, ends = spec["agreement"]
    template = TEMPLATE_FOR.get(spec["slug"], "terms_of_reference")
    first = agreement_draft_create(actor=admin, partnership=partnership, template=template, starts=starts, ends=ends)
    agreement_publish(actor=admin, version=first)
    if spec["slug"] == "heart-of-manchester":
        _sign_heart_of_manchester(partnership, first, admin)
    if spec["slug"] != "exeter-beacon":
        return
    renewal = agreement_renew(actor=admin, version=first)
    agreement_term_set(actor=admin, version=renewal, starts=datetime.date(2025, 9, 1), ends=datetime.date(2028, 8, 31))
    leaving = AgreementSection.objects.get(version=renewal, key=AgreementSection.Key.LEAVING)
    agreement_section_update(actor=admin, section=leaving, heading="10. Leaving the partnership", text=EXETER_LEAVING)
    agreement_publish(actor=admin, version=renewal)
    _sign_all(partnership, renewal, admin, outstanding=0)


def _holder(partnership, block: SignatureBlock, school):
    role = {"headteacher": Role.HEADTEACHER, "chair_of_governors": Role.CHAIR_OF_GOVERNORS}.get(block.kind, Role.CHAIR)
    school_id = school.pk if block.per_school else None
    assignment = (
        RoleAssignment.objects.filter(partnership=partnership, role=role, school_id=school_id)
        .active()
        .select_related("user")
        .first()
    )
    return assignment.user


def _sign(copy: AgreementCopy, block: SignatureBlock, user, when) -> None:
    AgreementSignature.objects.create(
        copy=copy,
        block=block,
        signer=user,
        name=user.full_name,
        role_label=block_role_label(block),
        signed_at=when,
        ip=f"192.0.2.{10 + copy.school_id % 200}",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Edge/131.0",
        method="password",
        document_sha256=copy.blank_sha256,
    )


def _sign_all(partnership, version: AgreementVersion, admin, *, outstanding: int, partly: bool = False) -> list:
    """Every copy signed and sealed but the last `outstanding` ones (the first of those with only its
    first block signed when `partly`); returns the copies left outstanding."""
    agreement_copies_make(version=version)
    copies = list(AgreementCopy.objects.filter(version=version).select_related("school").order_by("school__name"))
    blocks = list(SignatureBlock.objects.filter(version=version).order_by("order", "pk"))
    done, left = copies[: len(copies) - outstanding], copies[len(copies) - outstanding :]
    now = timezone.now()
    for n, copy in enumerate(done):
        for i, block in enumerate(blocks):
            _sign(copy, block, _holder(partnership, block, copy.school), now - datetime.timedelta(hours=n, minutes=i))
        agreement_copy_seal(copy=copy)
    if partly and left:
        _sign(left[0], blocks[0], _holder(partnership, blocks[0], left[0].school), now)
    return left


def _sign_heart_of_manchester(partnership, version: AgreementVersion, admin) -> None:
    """Two schools outstanding (one with its headteacher's signature in); the third signed on paper, its
    scan waiting for the coordinator's check."""
    left = _sign_all(partnership, version, admin, outstanding=3, partly=True)
    on_paper = left[-1]
    head = _holder(
        partnership, SignatureBlock.objects.filter(version=version, kind="headteacher").first(), on_paper.school
    )
    scan = html_document(
        f'<html lang="en-GB"><head><title>Scan</title></head><body><p>{on_paper.school.name}: the agreement, '
        "signed by hand by the headteacher, the chair of governors and the partnership's chair, and scanned.</p>"
        "</body></html>"
    ).write_pdf()
    agreement_scan_upload(actor=head, copy=on_paper, upload=SimpleUploadedFile("signed-agreement.pdf", scan))
