"""The partnership's agreement: the version in force on a day, a version's contents, and the
differences between two versions. Pages read the agreement's term only through `agreement_on`."""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.dates import has_ended, in_force
from partnerships.agreement_text import agreement_text_html
from partnerships.models import AgreementMember, AgreementSection, AgreementVersion, Partnership, SignatureBlock

V = AgreementVersion.Status


@dataclass(frozen=True)
class AgreementTerm:
    starts: datetime.date | None
    ends: datetime.date | None  # the last day in force, inclusive
    state: str  # "in_force", "expired", "not_started" or "unknown"
    version: AgreementVersion | None = None

    @property
    def needs_renewal(self) -> bool:
        return self.state == "expired"


def _state(version: AgreementVersion, day: datetime.date) -> str:
    if in_force(version.starts, version.ends, day):
        return "in_force"
    return "expired" if has_ended(version.ends, day) else "not_started"


def agreement_on(partnership: Partnership, day: datetime.date | None = None) -> AgreementTerm:
    """The agreement on `day` (today by default): the latest published or superseded version whose term
    covers the day; else the latest one, expired or not yet started; "unknown" if none was published."""
    day = day or timezone.localdate()
    versions = list(
        AgreementVersion.objects.filter(partnership=partnership).exclude(status=V.DRAFT).order_by("-number")
    )
    chosen = next((v for v in versions if in_force(v.starts, v.ends, day)), versions[0] if versions else None)
    if chosen is None:
        return AgreementTerm(starts=None, ends=None, state="unknown")
    return AgreementTerm(starts=chosen.starts, ends=chosen.ends, state=_state(chosen, day), version=chosen)


def agreement_versions(partnership: Partnership) -> list[AgreementVersion]:
    """Every version, the latest first."""
    return list(
        AgreementVersion.objects.filter(partnership=partnership).select_related("published_by").order_by("-number")
    )


def agreement_version_detail(version: AgreementVersion, day: datetime.date | None = None) -> dict:
    """What a version's page shows: its term, state, members, rendered sections and signatories."""
    day = day or timezone.localdate()
    sections = list(AgreementSection.objects.filter(version=version).order_by("order", "pk"))
    return {
        "version": version,
        "state": _state(version, day),
        "members": list(AgreementMember.objects.filter(version=version).select_related("school")),
        "sections": [{"section": s, "html": agreement_text_html(s.text)} for s in sections],
        "blocks": list(SignatureBlock.objects.filter(version=version).order_by("order", "pk")),
    }


def agreement_section_of(version: AgreementVersion, key: str) -> AgreementSection | None:
    return AgreementSection.objects.filter(version=version, key=key).first()


_WORDS = re.compile(r"\s+|[^\s]+")


def _word_diff(old: str, new: str) -> SafeString:
    """Word-level differences as escaped HTML: removed words in <del>, added in <ins>."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308  # escaped words and fixed tags only  # nosec B308 B703


def agreement_versions_diff(older: AgreementVersion, newer: AgreementVersion) -> list[dict]:
    """Section by section, in the fixed order of the headings: each heading and text as a word-level
    diff, and whether anything changed. The term, members and signatories are compared too."""
    by_version: dict[int, dict[str, AgreementSection]] = {older.pk: {}, newer.pk: {}}
    for section in AgreementSection.objects.filter(version__in=[older, newer]):
        by_version[section.version_id][section.key] = section
    rows = []
    for key, label in AgreementSection.Key.choices:
        old, new = by_version[older.pk].get(key), by_version[newer.pk].get(key)
        if old is None and new is None:
            continue
        old_heading, new_heading = (old.heading if old else ""), (new.heading if new else "")
        old_text, new_text = (old.text if old else ""), (new.text if new else "")
        rows.append(
            {
                "key": key,
                "label": label,
                "heading": _word_diff(old_heading, new_heading),
                "text": _word_diff(old_text, new_text),
                "changed": (old_heading, old_text) != (new_heading, new_text),
            }
        )
    return rows


def agreement_comparison(older: AgreementVersion, newer: AgreementVersion) -> dict:
    """The whole comparison page: the sections' differences, and the schools and signatories added or
    removed between the two versions."""
    members: dict[int, set[str]] = {older.pk: set(), newer.pk: set()}
    for member in AgreementMember.objects.filter(version__in=[older, newer]).select_related("school"):
        members[member.version_id].add(member.school.name)
    blocks: dict[int, list[str]] = {older.pk: [], newer.pk: []}
    for block in SignatureBlock.objects.filter(version__in=[older, newer]).order_by("order", "pk"):
        blocks[block.version_id].append(block.label)
    return {
        "sections": agreement_versions_diff(older, newer),
        "schools_added": sorted(members[newer.pk] - members[older.pk]),
        "schools_removed": sorted(members[older.pk] - members[newer.pk]),
        "signatories": _word_diff("\n".join(blocks[older.pk]), "\n".join(blocks[newer.pk])),
        "signatories_changed": blocks[older.pk] != blocks[newer.pk],
    }
