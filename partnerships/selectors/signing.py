"""Signing the agreement: who signs which block, what each school's copy says, and where signing stands.

The rule of who may sign is `signing_refusal`, and only there: a block is signed by the person who
holds its role for the copy's school today (the partnership's chair for the partnership's block), in a
copy of the version now in force, once. Another named party (a local authority, say) signs on paper.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from core.exports import Column, Kind, Table
from partnerships.agreement_text import agreement_text_html
from partnerships.agreements.document import AgreementDocument, Block, Section, Signature
from partnerships.models import (
    AgreementCopy,
    AgreementMember,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    RoleAssignment,
    SignatureBlock,
)
from partnerships.roles import Role
from partnerships.selectors.permissions import holds_role

K = SignatureBlock.Kind

# The role that signs each kind of block; another named party signs on paper.
SIGNS_AS: dict[str, Role] = {
    K.HEADTEACHER: Role.HEADTEACHER,
    K.CHAIR_OF_GOVERNORS: Role.CHAIR_OF_GOVERNORS,
    K.PARTNERSHIP_CHAIR: Role.CHAIR,
}
ROLE_LABELS = {
    K.HEADTEACHER: "Headteacher",
    K.CHAIR_OF_GOVERNORS: "Chair of governors",
    K.PARTNERSHIP_CHAIR: "Chair of the partnership",
}


def block_key(block: SignatureBlock) -> str:
    """The block's key in the PDF: names its signature field, the same in every school's copy."""
    return f"{block.order}-{block.kind.replace('_', '-')}"


def block_role_label(block: SignatureBlock) -> str:
    return ROLE_LABELS.get(block.kind, block.label)


def block_party(block: SignatureBlock, copy_school_name: str, partnership_name: str) -> str:
    if block.per_school:
        return copy_school_name
    if block.kind == K.PARTNERSHIP_CHAIR:
        return partnership_name
    return "on behalf of their organisation"


def signs_in_app(block: SignatureBlock) -> bool:
    return block.kind in SIGNS_AS


def agreement_document(version: AgreementVersion, school, identifier: str) -> AgreementDocument:
    """What one school's copy of a version says, for the PDF engine."""
    partnership = version.partnership
    blocks = list(SignatureBlock.objects.filter(version=version).order_by("order", "pk"))
    return AgreementDocument(
        partnership_name=partnership.name,
        title=version.title,
        version_number=version.number,
        version_label=f"published {version.published_at:%-d %B %Y}" if version.published_at else "",
        starts=version.starts,
        ends=version.ends,
        school_name=school.name,
        school_urn=str(school.urn),
        members=list(
            AgreementMember.objects.filter(version=version)
            .order_by("school__name")
            .values_list("school__name", flat=True)
        ),
        sections=[
            Section(heading=s.heading, html=str(agreement_text_html(s.text)))
            for s in AgreementSection.objects.filter(version=version).order_by("order", "pk")
        ],
        blocks=[
            Block(key=block_key(b), role_label=block_role_label(b), party=block_party(b, school.name, partnership.name))
            for b in blocks
        ],
        identifier=identifier,
    )


def copy_signatures(copy: AgreementCopy) -> list[Signature]:
    """The copy's signatures in force, for the signed PDF and its certificate page."""
    return [
        Signature(
            block_key=block_key(s.block),
            name=s.name,
            role_label=s.role_label,
            signed_at=timezone.localtime(s.signed_at),
            ip=s.ip or "not recorded",
            user_agent=s.user_agent,
            method=s.method,
            document_sha256=s.document_sha256,
        )
        for s in AgreementSignature.objects.filter(copy=copy, voided_at__isnull=True).select_related("block")
    ]


def signing_refusal(user: User, copy: AgreementCopy, block: SignatureBlock, on: datetime.date | None = None) -> str:
    """Why `user` may not sign `block` of `copy` today; empty if they may. The one rule of who signs."""
    on = on or timezone.localdate()
    version = copy.version
    if block.version_id != version.pk:
        return "That signature block belongs to another version of the agreement"
    if version.status == AgreementVersion.Status.SUPERSEDED:
        return f"Version {version.number} has been replaced by a later version: sign the version in force instead"
    if version.status != AgreementVersion.Status.PUBLISHED:
        return "Only a published version can be signed"
    if copy.status != AgreementCopy.Status.AWAITING:
        return f"{copy.school.name}'s copy is no longer waiting for signatures ({copy.get_status_display().lower()})"
    role = SIGNS_AS.get(block.kind)
    if role is None:
        return f"{block.label} signs on paper: download the copy, sign it and upload the scan"
    school_id = copy.school_id if block.per_school else None
    if not holds_role(user, version.partnership_id, role, school_id, on=on):
        where = copy.school.name if block.per_school else version.partnership.name
        return f"Only the {role.label.lower()} of {where} can sign here"
    if AgreementSignature.objects.filter(copy=copy, block=block, voided_at__isnull=True).exists():
        return f"The {block_role_label(block).lower()} has already signed {copy.school.name}'s copy"
    return ""


def sees_every_copy(tenant) -> bool:
    """The partnership keeps every school's copy: the coordinator and the chair (who signs them all)."""
    return tenant.has("view_school_records") or any(r.role == Role.CHAIR for r in tenant.roles)


def may_see_copy(tenant, copy: AgreementCopy) -> bool:
    """A school's copy, with its signers' details, is the school's and the partnership's: its own
    people, and those who keep every copy."""
    return sees_every_copy(tenant) or bool(tenant.school_perms(copy.school_id))


@dataclass
class BlockState:
    block: SignatureBlock
    role_label: str
    signature: AgreementSignature | None = None
    holders: list[User] = field(default_factory=list)  # who may sign it today, while unsigned

    @property
    def in_app(self) -> bool:
        return signs_in_app(self.block)


@dataclass
class CopyState:
    copy: AgreementCopy
    blocks: list[BlockState]

    @property
    def signed_count(self) -> int:
        return sum(1 for b in self.blocks if b.signature is not None)

    @property
    def outstanding(self) -> list[BlockState]:
        return [b for b in self.blocks if b.signature is None]


def signing_board(version: AgreementVersion, schools=None, on: datetime.date | None = None) -> list[CopyState]:
    """Each school's copy of `version` (or only `schools`' copies): each block, signed by whom or who
    is to sign it. Five queries, however many schools."""
    on = on or timezone.localdate()
    copies = AgreementCopy.objects.filter(version=version).select_related("school")
    if schools is not None:
        copies = copies.filter(school__in=schools)
    copies = list(copies.order_by("school__name"))
    blocks = list(SignatureBlock.objects.filter(version=version).order_by("order", "pk"))
    signatures = {
        (s.copy_id, s.block_id): s
        for s in AgreementSignature.objects.filter(copy__in=copies, voided_at__isnull=True).select_related("signer")
    }
    holders: dict[tuple[str, int | None], list[User]] = {}
    roles = RoleAssignment.objects.filter(partnership_id=version.partnership_id, role__in=list(SIGNS_AS.values()))
    for assignment in roles.active(on).select_related("user").order_by("user__full_name"):
        holders.setdefault((assignment.role, assignment.school_id), []).append(assignment.user)
    board = []
    for copy in copies:
        states = []
        for block in blocks:
            signature = signatures.get((copy.pk, block.pk))
            role = SIGNS_AS.get(block.kind)
            who = holders.get((role, copy.school_id if block.per_school else None), []) if role else []
            states.append(BlockState(block, block_role_label(block), signature, [] if signature else who))
        board.append(CopyState(copy, states))
    return board


def _copy_status_text(copy: AgreementCopy) -> str:
    """A copy's state in the words of the board's status tag (agreement/_copy_status.html)."""
    S = AgreementCopy.Status
    if copy.status in (S.SIGNED, S.SIGNED_ON_PAPER):
        return copy.get_status_display()
    return {S.VOID: "Replaced", S.SCAN_UPLOADED: "Paper copy to check"}.get(copy.status, "Awaiting signatures")


def _block_text(state: CopyState, block_state: BlockState) -> str:
    """Who signed a block of a copy, or where it stands, as the board's cell says it."""
    copy = state.copy
    if block_state.signature:
        return block_state.signature.name
    if copy.is_complete:
        return "Signed on paper"
    if copy.status == AgreementCopy.Status.SCAN_UPLOADED:
        return "Signed on paper, to check"
    if copy.status == AgreementCopy.Status.VOID:
        return "Not signed"
    if not block_state.in_app:
        return "Signs on paper"
    if block_state.holders:
        return "Outstanding: " + ", ".join(user.full_name for user in block_state.holders)
    return "Outstanding: nobody holds this role"


def signing_board_table(version: AgreementVersion, rows: list[CopyState], blocks: list[SignatureBlock]) -> Table:
    """A version's signing board as a download, with the copies the reader's board lists (`rows`, from
    `signing_board`): each school's copy, its state, and per block who signed it and on which day, or
    who is still to sign. Never a signer's IP address or browser, which the board does not show either."""
    columns = [Column("School"), Column("URN", Kind.REFERENCE), Column("Status")]
    for block in blocks:
        label = block_role_label(block)
        columns += [Column(label), Column(f"{label} signed on", Kind.DATE)]

    def cells(state: CopyState) -> list:
        values: list = [state.copy.school.name, state.copy.school.urn, _copy_status_text(state.copy)]
        for block_state in state.blocks:
            signature = block_state.signature
            signed_on = timezone.localtime(signature.signed_at).date() if signature else None
            values += [_block_text(state, block_state), signed_on]
        return values

    return Table(title=f"Signing version {version.number}", columns=columns, rows=[cells(row) for row in rows])


def blocks_to_sign(user: User, version: AgreementVersion, on: datetime.date | None = None) -> list[tuple]:
    """(copy, block) pairs `user` may sign now in the version in force: what their reminders and
    dashboard list. Only the copies of the schools whose blocks their roles sign are read (every copy
    for a partnership-wide signer, the chair), and nobody else's roles: four queries."""
    if version.status != AgreementVersion.Status.PUBLISHED:
        return []
    on = on or timezone.localdate()
    mine = RoleAssignment.objects.filter(user=user, partnership_id=version.partnership_id).active(on)
    held = {(a.role, a.school_id) for a in mine}
    signed_as = {role for role, _ in held}
    blocks = [
        block
        for block in SignatureBlock.objects.filter(version=version).order_by("order", "pk")
        if SIGNS_AS.get(block.kind) in signed_as
    ]
    if not blocks:
        return []
    copies = AgreementCopy.objects.filter(version=version, status=AgreementCopy.Status.AWAITING)
    copies = copies.select_related("school")
    if all(block.per_school for block in blocks):
        copies = copies.filter(school_id__in={school_id for _, school_id in held if school_id is not None})
    copies = list(copies.order_by("school__name"))
    signed = set(
        AgreementSignature.objects.filter(copy__in=copies, block__in=blocks, voided_at__isnull=True).values_list(
            "copy_id", "block_id"
        )
    )
    todo = []
    for copy in copies:
        for block in blocks:
            school_id = copy.school_id if block.per_school else None
            if (copy.pk, block.pk) not in signed and (SIGNS_AS[block.kind], school_id) in held:
                todo.append((copy, block))
    return todo


def copies_outstanding(version: AgreementVersion) -> int:
    """How many member schools' copies of `version` still wait for signatures or a check of the paper."""
    return AgreementCopy.objects.filter(
        version=version, status__in=[AgreementCopy.Status.AWAITING, AgreementCopy.Status.SCAN_UPLOADED]
    ).count()
