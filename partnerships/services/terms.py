"""Term dates: each partnership keeps its own autumn, spring and summer terms for every academic year.

Reading them is partnerships.selectors.terms. Saving the calendar's defaults for a year is not a
decision anyone made, so terms_ensure is not audited; changing the dates is (terms_update).
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scope

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from partnerships.calendar import TERM_LABELS, TERM_NAMES, academic_year_label
from partnerships.models import Partnership, Term
from partnerships.selectors.terms import terms_of_year

# The four dates of a term, in the order they must fall.
TERM_PARTS = ("starts", "half_term_starts", "half_term_ends", "ends")
PART_LABELS = {
    "starts": "first day of term",
    "half_term_starts": "first day of the half-term break",
    "half_term_ends": "last day of the half-term break",
    "ends": "last day of term",
}


def terms_ensure(partnership: Partnership, academic_year: int) -> list[Term]:
    """Save the calendar's default terms for any of one academic year's terms the partnership lacks.

    Idempotent, and safe when two callers race: the unique constraint keeps one set. Called when a
    partnership is created, by the daily task for next year, from the term-dates page's POST, and by
    a service that must point at a saved term (a rota).
    """
    with scope(partnership=partnership):
        missing = [t for t in terms_of_year(partnership, academic_year) if t.pk is None]
        if missing:
            Term.objects.bulk_create(missing, ignore_conflicts=True)
        return list(Term.objects.filter(partnership=partnership, academic_year=academic_year).order_by("starts"))


def term_saved(partnership: Partnership, term: Term) -> Term:
    """`term` as a saved row (saving its year's default terms when it is a default), for a foreign key."""
    if term.pk is not None:
        return term
    saved = terms_ensure(partnership, term.academic_year)
    return next(t for t in saved if t.name == term.name)


def terms_validate(
    *,
    academic_year: int,
    dates: Mapping[str, datetime.date],
    before: Term | None = None,
    after: Term | None = None,
) -> None:
    """The rules for one academic year's term dates. `dates` maps "<term>_<part>" to a date, e.g.
    "autumn_half_term_starts". `before` is the previous year's summer term and `after` the next
    year's autumn term, when they exist, so years do not overlap. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    first_day = datetime.date(academic_year, 8, 1)
    last_day = datetime.date(academic_year + 1, 8, 31)
    label = academic_year_label(academic_year)
    for name in TERM_NAMES:
        for part in TERM_PARTS:
            key = f"{name}_{part}"
            if not isinstance(dates.get(key), datetime.date):
                errors[key] = f"Enter the {PART_LABELS[part]} of the {TERM_LABELS[name].lower()} term"
            elif not first_day <= dates[key] <= last_day:
                errors[key] = (
                    f"The {PART_LABELS[part]} of the {TERM_LABELS[name].lower()} term must be in the "
                    f"{label} academic year, between {date_label(first_day)} and {date_label(last_day)}"
                )
    if errors:
        raise ValidationError(errors)
    for name in TERM_NAMES:
        term = TERM_LABELS[name].lower()
        starts, ht_starts, ht_ends, ends = (dates[f"{name}_{part}"] for part in TERM_PARTS)
        if ht_starts <= starts:
            errors[f"{name}_half_term_starts"] = (
                f"The half-term break of the {term} term must start after the first day of term"
            )
        elif ht_ends < ht_starts:
            errors[f"{name}_half_term_ends"] = (
                f"The last day of the {term} half-term break must be on or after its first day"
            )
        elif ends <= ht_ends:
            errors[f"{name}_ends"] = f"The {term} term must end after its half-term break"
    for earlier, later in zip(TERM_NAMES, TERM_NAMES[1:], strict=False):
        if f"{earlier}_ends" in errors or f"{later}_starts" in errors:
            continue
        if dates[f"{later}_starts"] <= dates[f"{earlier}_ends"]:
            errors[f"{later}_starts"] = (
                f"The {TERM_LABELS[later].lower()} term must start after the {TERM_LABELS[earlier].lower()} "
                f"term ends on {date_label(dates[f'{earlier}_ends'])}"
            )
    if before is not None and "autumn_starts" not in errors and dates["autumn_starts"] <= before.ends:
        errors["autumn_starts"] = (
            f"The autumn term must start after the summer term of {academic_year_label(before.academic_year)} "
            f"ends on {date_label(before.ends)}"
        )
    if after is not None and "summer_ends" not in errors and dates["summer_ends"] >= after.starts:
        errors["summer_ends"] = (
            f"The summer term must end before the autumn term of {academic_year_label(after.academic_year)} "
            f"starts on {date_label(after.starts)}"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def terms_update(
    *, actor: User, partnership: Partnership, academic_year: int, dates: Mapping[str, datetime.date]
) -> list[Term]:
    """Set the dates of one academic year's three terms, all at once, audited with old and new dates.

    Leaving dates already worked out from the old dates stay as they were recorded.
    """
    with scope(partnership=partnership):
        terms_ensure(partnership, academic_year)
        rows = {
            t.name: t
            for t in Term.objects.select_for_update().filter(partnership=partnership, academic_year=academic_year)
        }
        neighbours = {
            (t.academic_year, t.name): t
            for t in Term.objects.filter(
                partnership=partnership,
                academic_year__in=[academic_year - 1, academic_year + 1],
                name__in=["summer", "autumn"],
            )
        }
        terms_validate(
            academic_year=academic_year,
            dates=dates,
            before=neighbours.get((academic_year - 1, "summer")),
            after=neighbours.get((academic_year + 1, "autumn")),
        )
        changes: dict[str, dict[str, str]] = {}
        for name in TERM_NAMES:
            term = rows[name]
            changed = []
            for part in TERM_PARTS:
                new = dates[f"{name}_{part}"]
                old = getattr(term, part)
                if new != old:
                    changes[f"{name}_{part}"] = {"old": old.isoformat(), "new": new.isoformat()}
                    setattr(term, part, new)
                    changed.append(part)
            if changed:
                term.save(update_fields=changed)
        if changes:
            audit_record(
                actor=actor,
                partnership=partnership,
                action=AuditAction.TERMS_CHANGED,
                summary=f"Term dates for {academic_year_label(academic_year)} changed",
                data={"academic_year": academic_year, "changes": changes},
            )
        return sorted(rows.values(), key=lambda t: t.starts)
