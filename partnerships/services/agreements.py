"""The partnership agreement's versions: drafting from a template, editing, the term, who signs,
publishing and renewing. Validated, atomic, audited.

A published version is never edited: a change of terms, or a renewal, is the next version, which
supersedes it when published; publishing voids the unsigned copies of the version it replaces
(partnerships.services.signing) and has each school's copy of the new one made. Section text is the
safe markup of partnerships/agreement_text.py, checked here on every save, so no page or PDF ever
meets HTML, a stylesheet or a file address.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import ONE_DAY, add_months, date_label
from partnerships.agreement_templates import TEMPLATES
from partnerships.agreement_text import agreement_text_problems
from partnerships.models import (
    AgreementMember,
    AgreementSection,
    AgreementVersion,
    Membership,
    Partnership,
    SignatureBlock,
)
from partnerships.services.signing import agreement_copies_void

V = AgreementVersion.Status
NOT_A_DRAFT = "Version {number} is published and cannot be changed: renew it to make the next version"


def _term_errors(starts: datetime.date | None, ends: datetime.date | None) -> dict[str, str]:
    if starts is None:
        return {"starts": "Enter the date the agreement starts"}
    if ends is not None and ends < starts:
        return {"ends": f"The agreement must end on or after the day it starts ({date_label(starts)})"}
    return {}


def _refuse_unless_draft(version: AgreementVersion, field: str | None = None) -> None:
    if version.status != V.DRAFT:
        message = NOT_A_DRAFT.format(number=version.number)
        raise ValidationError({field: message} if field else message)


def _refuse_second_draft(partnership: Partnership) -> None:
    draft = AgreementVersion.objects.filter(partnership=partnership, status=V.DRAFT).first()
    if draft is not None:
        raise ValidationError(f"Version {draft.number} is already being drafted: publish it or carry on editing it")


def _next_number(partnership: Partnership) -> int:
    # Numbers are given one at a time: the partnership row is the lock.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = AgreementVersion.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _current_school_ids(partnership: Partnership) -> list[int]:
    return sorted(Membership.objects.filter(partnership=partnership).current().values_list("school_id", flat=True))


def _set_members(version: AgreementVersion, school_ids: list[int]) -> None:
    AgreementMember.objects.filter(version=version).delete()
    AgreementMember.objects.bulk_create(AgreementMember(version=version, school_id=pk) for pk in school_ids)


def _audit(actor, version: AgreementVersion, action: AuditAction, summary: str, **data) -> None:
    audit_record(
        subject=version,
        actor=actor,
        partnership=version.partnership,
        action=action,
        summary=summary,
        data={"version": version.pk, "number": version.number, **data},
    )


@transaction.atomic
def agreement_draft_create(
    *,
    actor: User,
    partnership: Partnership,
    template: str,
    starts: datetime.date,
    ends: datetime.date | None,
    title: str = "",
) -> AgreementVersion:
    """A new draft from a starting template: its sections and signatories, and today's members."""
    errors = _term_errors(starts, ends)
    if template not in TEMPLATES:
        errors["template"] = "Choose a starting template"
    if errors:
        raise ValidationError(errors)
    _refuse_second_draft(partnership)
    chosen = TEMPLATES[template]
    version = AgreementVersion.objects.create(
        partnership=partnership,
        number=_next_number(partnership),
        title=title.strip() or chosen.title,
        starts=starts,
        ends=ends,
        template=chosen.key,
        created_by=actor,
    )
    AgreementSection.objects.bulk_create(
        AgreementSection(version=version, key=key, order=i, heading=heading, text=text)
        for i, (key, heading, text) in enumerate(chosen.sections, start=1)
    )
    SignatureBlock.objects.bulk_create(
        SignatureBlock(version=version, kind=kind, label=label, order=i)
        for i, (kind, label) in enumerate(chosen.signatories, start=1)
    )
    _set_members(version, _current_school_ids(partnership))
    _audit(actor, version, AuditAction.AGREEMENT_DRAFTED, f"Version {version.number} drafted from {chosen.label}")
    return version


@transaction.atomic
def agreement_section_update(*, actor: User, section: AgreementSection, heading: str, text: str) -> AgreementSection:
    """Change a draft's section. Text outside the safe markup is refused, with what to remove."""
    version = section.version
    _refuse_unless_draft(version, "text")
    errors: dict[str, list[str]] = {}
    if not heading.strip():
        errors["heading"] = ["Enter the section's heading"]
    if problems := agreement_text_problems(text):
        errors["text"] = problems
    if errors:
        raise ValidationError(errors)
    section.heading = heading.strip()
    section.text = text.replace("\r\n", "\n").strip()
    section.save(update_fields=["heading", "text"])
    _audit(actor, version, AuditAction.AGREEMENT_SECTION_CHANGED, f"{section.heading} changed", section=section.key)
    return section


@transaction.atomic
def agreement_term_set(
    *, actor: User, version: AgreementVersion, starts: datetime.date | None, ends: datetime.date | None
) -> AgreementVersion:
    """A draft's term: its first and last day in force (inclusive)."""
    _refuse_unless_draft(version, "starts")
    if errors := _term_errors(starts, ends):
        raise ValidationError(errors)
    version.starts, version.ends = starts, ends
    version.save(update_fields=["starts", "ends"])
    until = date_label(ends) if ends else "no end date"
    _audit(actor, version, AuditAction.AGREEMENT_TERM_SET, f"Version {version.number}: {date_label(starts)} to {until}")
    return version


@transaction.atomic
def agreement_signatories_set(
    *, actor: User, version: AgreementVersion, blocks: list[tuple[str, str]]
) -> list[SignatureBlock]:
    """Who signs a draft, in order: (kind, label) pairs. A per-school kind is one block in each
    school's copy; another named party needs its name."""
    _refuse_unless_draft(version, "blocks")
    cleaned = [(kind, label.strip()) for kind, label in blocks]
    if not cleaned:
        raise ValidationError({"blocks": "Choose at least one signatory"})
    for kind, label in cleaned:
        if kind not in SignatureBlock.Kind.values:
            raise ValidationError({"blocks": f"{kind} is not a kind of signatory"})
        if kind == SignatureBlock.Kind.OTHER and not label:
            raise ValidationError({"blocks": "Name each other party that signs"})
    kinds = [kind for kind, _ in cleaned if kind != SignatureBlock.Kind.OTHER]
    if len(kinds) != len(set(kinds)):
        raise ValidationError({"blocks": "Each role signs once"})
    SignatureBlock.objects.filter(version=version).delete()
    made = SignatureBlock.objects.bulk_create(
        SignatureBlock(version=version, kind=kind, label=label or SignatureBlock.Kind(kind).label, order=i)
        for i, (kind, label) in enumerate(cleaned, start=1)
    )
    labels = ", ".join(block.label for block in made)
    _audit(actor, version, AuditAction.AGREEMENT_SIGNATORIES_SET, f"Version {version.number} signed by: {labels}")
    return made


@transaction.atomic
def agreement_publish(*, actor: User, version: AgreementVersion) -> AgreementVersion:
    """Publish a draft: its members become today's members, and it supersedes the version before it."""
    _refuse_unless_draft(version)
    if errors := _term_errors(version.starts, version.ends):
        raise ValidationError(errors)
    if not SignatureBlock.objects.filter(version=version).exists():
        raise ValidationError("Say who signs this version before publishing it")
    previous = (
        AgreementVersion.objects.filter(partnership=version.partnership, status=V.PUBLISHED)
        .exclude(pk=version.pk)
        .order_by("-number")
        .first()
    )
    _set_members(version, _current_school_ids(version.partnership))
    if previous is not None:
        AgreementVersion.objects.filter(partnership=version.partnership, status=V.PUBLISHED).update(status=V.SUPERSEDED)
    version.status = V.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.supersedes = previous
    version.save(update_fields=["status", "published_at", "published_by", "supersedes"])
    replaced = f", replacing version {previous.number}" if previous else ""
    _audit(actor, version, AuditAction.AGREEMENT_PUBLISHED, f"Version {version.number} published{replaced}")
    if previous is not None:
        agreement_copies_void(actor=actor, replaced=previous, by=version)
    # Each school's copy is rendered once, after this commits, by a task: publishing stays quick.
    from partnerships.tasks.agreements import make_agreement_copies

    ids = {"version_id": version.pk, "partnership_id": version.partnership_id}
    transaction.on_commit(lambda: make_agreement_copies.delay(**ids))
    return version


def _next_term(version: AgreementVersion) -> tuple[datetime.date, datetime.date | None]:
    """The term after a version's: from the day after its end, as long again in months."""
    if version.ends is None:
        return max(version.starts, timezone.localdate()), None
    day_after = version.ends + ONE_DAY
    months = (day_after.year - version.starts.year) * 12 + day_after.month - version.starts.month
    return day_after, add_months(day_after, max(months, 1)) - ONE_DAY


@transaction.atomic
def agreement_renew(*, actor: User, version: AgreementVersion) -> AgreementVersion:
    """The next version as a draft: the sections, signatories and members carried forward, the next term."""
    if version.status == V.DRAFT:
        raise ValidationError("A draft is renewed by publishing it")
    _refuse_second_draft(version.partnership)
    starts, ends = _next_term(version)
    renewal = AgreementVersion.objects.create(
        partnership=version.partnership,
        number=_next_number(version.partnership),
        title=version.title,
        starts=starts,
        ends=ends,
        template=version.template,
        created_by=actor,
    )
    AgreementSection.objects.bulk_create(
        AgreementSection(version=renewal, key=s.key, order=s.order, heading=s.heading, text=s.text)
        for s in AgreementSection.objects.filter(version=version)
    )
    SignatureBlock.objects.bulk_create(
        SignatureBlock(version=renewal, kind=b.kind, label=b.label, order=b.order)
        for b in SignatureBlock.objects.filter(version=version)
    )
    _set_members(renewal, list(AgreementMember.objects.filter(version=version).values_list("school_id", flat=True)))
    _audit(
        actor,
        renewal,
        AuditAction.AGREEMENT_RENEWED,
        f"Version {renewal.number} drafted to renew version {version.number}",
    )
    return renewal
