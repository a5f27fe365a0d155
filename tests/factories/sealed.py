"""Sealed signed copies of the agreement, made as in production: each signatory signs through
agreement_sign with their password, then the copy is sealed (partnerships.services.signing)."""

from __future__ import annotations

from django_scopes import scope

from core.files import private_storage
from partnerships.models import AgreementCopy
from partnerships.services.signing import agreement_copies_make, agreement_copy_seal, agreement_sign
from tests.factories.agreements import PASSWORD, K, Signing, signing_partnership

IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0 SealedCopyFactory"
SIGNERS = ((K.HEADTEACHER, "heads"), (K.CHAIR_OF_GOVERNORS, "governors"), (K.PARTNERSHIP_CHAIR, "chair"))


def signer(signing: Signing, school, kind: str):
    attribute = dict(SIGNERS)[kind]
    return signing.chair if attribute == "chair" else getattr(signing, attribute)[school.pk]


def signer_names(signing: Signing, school) -> list[str]:
    return [signer(signing, school, kind).full_name for kind, _ in SIGNERS]


def ready_signing(name: str, schools: int = 2) -> Signing:
    """signing_partnership() with each school's copy made (in a test without commits the publish task,
    which runs after commit, has not run)."""
    signing = signing_partnership(name=name, schools=schools)
    with scope(partnership=signing.partnership):
        agreement_copies_make(version=signing.version)
    return signing


def sign_copy(signing: Signing, school, kinds=None) -> AgreementCopy:
    """Sign `kinds` (every block by default) of `school`'s copy, each by the person who holds its role."""
    with scope(partnership=signing.partnership):
        for kind, _ in SIGNERS:
            if kinds is not None and kind not in kinds:
                continue
            copy = signing.copy(school)
            user = signer(signing, school, kind)
            agreement_sign(
                actor=user,
                copy=copy,
                block=signing.block(kind),
                name=user.full_name,
                agreed=True,
                document_sha256=copy.blank_sha256,
                password=PASSWORD,
                ip=IP,
                user_agent=USER_AGENT,
            )
    return signing.copy(school)


def sealed_copy(signing: Signing, school) -> tuple[AgreementCopy, bytes]:
    """`school`'s copy signed by all and sealed, with the sealed PDF's bytes."""
    sign_copy(signing, school)
    with scope(partnership=signing.partnership):
        copy = agreement_copy_seal(copy=signing.copy(school))  # already sealed if its task ran on commit
    assert copy.status == AgreementCopy.Status.SIGNED, copy.status
    with private_storage.open(copy.signed.name, "rb") as handle:
        return copy, handle.read()
