"""Signing the agreement: each school's copy made once, signatures in the app, the sealed signed copy,
and voiding what a new version replaces. Who may sign is partnerships.selectors.signing.signing_refusal.

The blank copy is rendered by a task after the version is published (a page never writes), stored under
PRIVATE_MEDIA_ROOT, and its SHA-256 kept beside it: each signer is shown those bytes, and the hash of
what they were shown must equal it when they sign, so nobody signs a document other than the stored one.
When a copy's last in-app block is signed, a task renders the signed copy and seals it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.files import private_storage
from core.outbox import outbox_enqueue
from partnerships.agreements.document import sha256
from partnerships.agreements.pdf import blank_pdf, signed_pdf
from partnerships.agreements.seal import seal
from partnerships.models import (
    AgreementCopy,
    AgreementMember,
    AgreementSignature,
    AgreementVersion,
    SignatureBlock,
)
from partnerships.selectors.signing import (
    agreement_document,
    block_role_label,
    copy_signatures,
    signing_board,
    signing_refusal,
    signs_in_app,
)

C = AgreementCopy.Status
IDENTIFIER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U: read aloud and typed back


def new_identifier() -> str:
    raw = "".join(secrets.choice(IDENTIFIER_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _audit(actor, copy: AgreementCopy, action: AuditAction, summary: str, **data) -> None:
    audit_record(
        subject=copy,
        actor=actor,
        partnership=copy.version.partnership,
        action=action,
        summary=summary,
        data={"copy": copy.pk, "version": copy.version.number, "school": copy.school_id, **data},
    )


def _copy_url(copy: AgreementCopy) -> str:
    slug = copy.version.partnership.slug
    return settings.SITE_URL + reverse("agreement:copy", kwargs={"partnership_slug": slug, "copy_pk": copy.pk})


def agreement_copies_make(*, version: AgreementVersion) -> list[AgreementCopy]:
    """Each member school's blank copy of a published version, made once: a copy already made is kept.
    Each copy is its own transaction, so a failure part way keeps the copies already made. Then each
    signatory is asked to sign. Returns the copies made now."""
    if version.status != AgreementVersion.Status.PUBLISHED:
        return []  # replaced before its copies were made (or never published): nothing to sign
    made_for = set(AgreementCopy.objects.filter(version=version).values_list("school_id", flat=True))
    made = []
    for member in AgreementMember.objects.filter(version=version).select_related("school").order_by("school__name"):
        if member.school_id in made_for:
            continue
        identifier = new_identifier()
        pdf = blank_pdf(agreement_document(version, member.school, identifier))
        name = private_storage.save(f"agreements/{version.partnership_id}/{identifier}-blank.pdf", ContentFile(pdf))
        try:
            with transaction.atomic():
                copy = AgreementCopy.objects.create(
                    version=version, school=member.school, identifier=identifier, blank=name, blank_sha256=sha256(pdf)
                )
        except IntegrityError:  # another run made this school's copy a moment ago
            private_storage.delete(name)
            continue
        made.append(copy)
    if made:
        audit_record(
            subject=version,
            actor=None,
            partnership=version.partnership,
            action=AuditAction.AGREEMENT_COPIES_MADE,
            summary=f"Version {version.number}: copies made for {len(made)} schools",
            data={"version": version.pk, "copies": [c.pk for c in made]},
        )
        with transaction.atomic():
            _ask_to_sign(version, made)
    return made


def _ask_to_sign(version: AgreementVersion, copies: list[AgreementCopy]) -> None:
    """Email everyone who may sign one of `copies`: one message per person, listing their copies."""
    todo: dict[int, tuple[User, list[AgreementCopy]]] = {}
    for state in signing_board(version, schools=[c.school_id for c in copies]):
        for block_state in state.outstanding:
            for user in block_state.holders:
                todo.setdefault(user.pk, (user, []))[1].append(state.copy)
    for user, mine in todo.values():
        outbox_enqueue(
            about=f"agreement-version:{version.pk}",
            kind="agreement.sign_request",
            recipient=user.email,
            template="partnerships/email/agreement_sign_request",
            context={
                "user": user,
                "version": version,
                "partnership": version.partnership,
                "copies": [(c, _copy_url(c)) for c in dict.fromkeys(mine)],
            },
            subject=f"Please sign version {version.number} of the {version.partnership.name} agreement",
        )


def agreement_copies_void(*, actor: User, replaced: AgreementVersion, by: AgreementVersion) -> int:
    """When `by` is published: `replaced`'s copies still awaiting signatures (or a paper copy's check)
    are void, their signatures too, and whoever had signed is told. Complete copies are kept as they
    are: they were the agreement in force. Returns how many copies were voided."""
    now = timezone.now()
    copies = list(
        AgreementCopy.objects.select_for_update()
        .filter(version=replaced, status__in=[C.AWAITING, C.SCAN_UPLOADED])
        .select_related("school", "version__partnership")
    )
    if not copies:
        return 0
    signatures = list(
        AgreementSignature.objects.filter(copy__in=copies, voided_at__isnull=True).select_related(
            "signer", "copy__school"
        )
    )
    AgreementSignature.objects.filter(pk__in=[s.pk for s in signatures]).update(voided_at=now)
    AgreementCopy.objects.filter(pk__in=[c.pk for c in copies]).update(status=C.VOID, voided_at=now)
    for copy in copies:
        _audit(
            actor,
            copy,
            AuditAction.AGREEMENT_VOIDED,
            f"{copy.school.name}'s unsigned copy of version {replaced.number} replaced by version {by.number}",
        )
    partnership = replaced.partnership
    for signature in signatures:
        outbox_enqueue(
            about=f"agreement-signature:{signature.pk}",
            kind="agreement.signature_voided",
            recipient=signature.signer.email,
            template="partnerships/email/agreement_signature_voided",
            context={"signature": signature, "replaced": replaced, "by": by, "partnership": partnership},
            subject=f"Version {by.number} of the {partnership.name} agreement replaces the one you signed",
        )
    return len(copies)


def _authentication_method(actor: User, password: str, code: str) -> str:
    """How the signer proved who they were now: their second factor if they have one, else their password."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    totp = Authenticator.objects.filter(user=actor, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        if not code.strip():
            raise ValidationError({"code": "Enter the 6-digit code from your authenticator app"})
        if not TOTP(totp).validate_code(code.strip().replace(" ", "")):
            raise ValidationError({"code": "That code is not right: enter the code your app shows now"})
        return "two-factor code (authenticator app)"
    if not password:
        raise ValidationError({"password": "Enter your password"})
    if not actor.check_password(password):
        raise ValidationError({"password": "That password is not right"})
    return "password"


@transaction.atomic
def agreement_sign(
    *,
    actor: User,
    copy: AgreementCopy,
    block: SignatureBlock,
    name: str,
    agreed: bool,
    document_sha256: str,
    password: str = "",
    code: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> AgreementSignature:
    """Sign one block of a school's copy: the signer typed their full name, agreed, and re-entered their
    password (or their second factor's code) just now, having been shown the stored blank copy."""
    # The copy's row is the lock: two signers of one block, or a publish voiding it, wait in turn.
    copy = AgreementCopy.objects.select_for_update().select_related("version__partnership", "school").get(pk=copy.pk)
    if refusal := signing_refusal(actor, copy, block):
        raise ValidationError(refusal)
    if document_sha256 != copy.blank_sha256:
        raise ValidationError("The copy changed while you were reading it: read it again before signing")
    errors = {}
    if not name.strip():
        errors["name"] = "Type your full name to sign"
    if not agreed:
        errors["agreed"] = "Tick to say you agree on behalf of the party named"
    if errors:
        raise ValidationError(errors)
    method = _authentication_method(actor, password, code)
    signature = AgreementSignature.objects.create(
        copy=copy,
        block=block,
        signer=actor,
        name=" ".join(name.split())[:200],
        role_label=block_role_label(block),
        ip=ip or None,
        user_agent=user_agent[:400],
        method=method,
        document_sha256=copy.blank_sha256,
    )
    _audit(
        actor,
        copy,
        AuditAction.AGREEMENT_SIGNED,
        f"{signature.name} signed {copy.school.name}'s copy of version {copy.version.number}"
        f" as {signature.role_label.lower()}",
        block=block.pk,
        method=method,
    )
    if _all_signed(copy):
        from partnerships.tasks.agreements import seal_agreement_copy

        partnership_id = copy.version.partnership_id
        transaction.on_commit(lambda: seal_agreement_copy.delay(copy_id=copy.pk, partnership_id=partnership_id))
    return signature


def _all_signed(copy: AgreementCopy) -> bool:
    """Every block signed in the app. A copy with a block signed on paper is completed by its scan."""
    blocks = list(SignatureBlock.objects.filter(version=copy.version_id))
    if not all(signs_in_app(b) for b in blocks):
        return False
    signed = AgreementSignature.objects.filter(copy=copy, voided_at__isnull=True).count()
    return signed == len(blocks)


def agreement_copy_seal(*, copy: AgreementCopy) -> AgreementCopy:
    """The signed copy: the same document with names and dates and the certificate page, sealed with the
    partnership's seal. Idempotent: a copy already sealed, or no longer awaiting, is left as it is."""
    if copy.status != C.AWAITING or not _all_signed(copy):
        return copy
    version = copy.version
    partnership = version.partnership
    pdf = seal(
        signed_pdf(agreement_document(version, copy.school, copy.identifier), copy_signatures(copy)),
        partnership_slug=partnership.slug,
        partnership_name=partnership.name,
    )
    name = private_storage.save(f"agreements/{partnership.pk}/{copy.identifier}-signed.pdf", ContentFile(pdf))
    with transaction.atomic():
        locked = AgreementCopy.objects.select_for_update().get(pk=copy.pk)
        if locked.status != C.AWAITING:  # voided or sealed by another run meanwhile
            transaction.on_commit(lambda: private_storage.delete(name))
            return locked
        locked.status, locked.signed, locked.signed_sha256, locked.sealed_at = (
            C.SIGNED,
            name,
            sha256(pdf),
            timezone.now(),
        )
        locked.save(update_fields=["status", "signed", "signed_sha256", "sealed_at"])
        copy.status, copy.signed, copy.signed_sha256, copy.sealed_at = (
            locked.status,
            name,
            locked.signed_sha256,
            locked.sealed_at,
        )
        _audit(
            None,
            copy,
            AuditAction.AGREEMENT_SEALED,
            f"{copy.school.name}'s copy of version {version.number} signed by all and sealed",
            sha256=locked.signed_sha256,
        )
        _tell_signed(copy)
    return copy


def _tell_signed(copy: AgreementCopy) -> None:
    """Everyone who signed: the copy is complete, and where to download it."""
    for signature in AgreementSignature.objects.filter(copy=copy, voided_at__isnull=True).select_related("signer"):
        outbox_enqueue(
            about=f"agreement-copy:{copy.pk}",
            kind="agreement.signed",
            recipient=signature.signer.email,
            template="partnerships/email/agreement_signed",
            context={
                "copy": copy,
                "signature": signature,
                "url": _copy_url(copy),
                "partnership": copy.version.partnership,
            },
            subject=f"{copy.school.name}'s agreement is signed",
        )
