"""The partnership's constitution: the rules of its agreement that the software enforces.

One row per partnership, created with the partnership (partnership_create); read it with
selectors.constitution.constitution_of. The coordinator changes it one section at a time (constitution_update);
every change is validated against the rules below and audited with the old and new values.
"""

import datetime
import decimal
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from partnerships.models import Constitution, Membership, Partnership
from partnerships.models.constitution import SECTIONS
from schools.models import School

EDITABLE_FIELDS = frozenset(field for _, fields in SECTIONS.values() for field in fields)
MAX_CPD_HOURS = decimal.Decimal("100")
MAX_TEXT = 5000


def _current_member_school_ids(partnership: Partnership) -> set[int]:
    with scope(partnership=partnership):
        return set(Membership.objects.filter(partnership=partnership).current().values_list("school_id", flat=True))


def constitution_validate(
    constitution: Constitution, *, member_school_ids: set[int], fields: set[str] | None = None
) -> None:
    """The rules a constitution must meet, with messages by field. `constitution` holds the new values.

    `fields` limits the check to the rules that involve those fields (the ones being changed), so a
    rule that membership changes have since broken (a quorum of 10 when 8 schools remain) does not
    stop the coordinator changing something else; it is checked again when its own section is saved.
    """
    errors: dict[str, list[str]] = {}
    fields = set(EDITABLE_FIELDS) if fields is None else set(fields)

    def add(field: str, message: str) -> None:
        if field not in errors:
            errors[field] = [message]

    def involves(*names: str) -> bool:
        return bool(fields.intersection(names))

    members = len(member_school_ids)
    c = constitution
    if (
        involves("meeting_frequency", "min_meetings_per_year")
        and c.meeting_frequency == Constitution.Frequency.MINIMUM_PER_YEAR
        and not c.min_meetings_per_year
    ):
        add("min_meetings_per_year", "Enter the least number of strategic meetings a year")
    quorum = involves("quorum_kind", "quorum_value")
    if quorum and c.quorum_kind is None and c.quorum_value is not None:
        add("quorum_kind", "Choose how the quorum is set, or clear the quorum if the agreement does not say")
    elif quorum and c.quorum_kind is not None and c.quorum_value is None:
        add("quorum_value", "Enter the quorum, or choose that the agreement does not say")
    elif quorum and c.quorum_kind == Constitution.Quorum.PERCENT and not 1 <= (c.quorum_value or 0) <= 100:
        add("quorum_value", "A quorum given as a percentage must be between 1 and 100")
    elif quorum and c.quorum_kind == Constitution.Quorum.NUMBER and not 1 <= (c.quorum_value or 0) <= max(members, 1):
        add(
            "quorum_value",
            f"A quorum given as a number of schools must be between 1 and the {members} member "
            f"school{'s' if members != 1 else ''}",
        )
    if (
        involves("chair_term_years", "chair_max_consecutive_years")
        and c.chair_max_consecutive_years is not None
        and c.chair_term_years is not None
        and c.chair_max_consecutive_years < c.chair_term_years
    ):
        add(
            "chair_max_consecutive_years",
            f"The most consecutive years as chair must be at least one term of office ({c.chair_term_years} "
            f"year{'s' if c.chair_term_years != 1 else ''})",
        )
    if involves("strategy_head_reps") and (c.strategy_head_reps or 0) > members:
        add(
            "strategy_head_reps",
            f"There cannot be more headteacher representatives than the {members} member schools",
        )
    if involves("banker_school") and c.banker_school_id is not None and c.banker_school_id not in member_school_ids:
        add("banker_school", _not_a_member(c))
    development = involves("development_area_target", "development_area_minimum")
    if development and c.development_area_target and (c.development_area_minimum or 0) > c.development_area_target:
        add(
            "development_area_minimum",
            f"Schools cannot be asked to take part in more areas than the {c.development_area_target} "
            "development areas a year",
        )
    hours = c.cpd_free_hours_per_term
    if involves("cpd_free_hours_per_term") and hours is not None and hours > MAX_CPD_HOURS:
        add("cpd_free_hours_per_term", f"The free CPD hours must be {MAX_CPD_HOURS} a term or fewer")
    for field, what in (("information_sharing", "What the agreement says"), ("strategy_group_notes", "Who belongs")):
        if involves(field) and len(getattr(c, field) or "") > MAX_TEXT:
            add(field, f"{what} must be {MAX_TEXT} characters or fewer")
    # The model's own checks (choices, ranges), where no clearer message above already applies.
    try:
        others = [f.name for f in Constitution._meta.concrete_fields if f.name not in fields]
        constitution.clean_fields(exclude=[*others, *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _not_a_member(constitution: Constitution) -> str:
    """Why the chosen banker school cannot hold the funds: it has left (its notice ran out), or is not a member."""
    school = constitution.banker_school
    with scope(partnership=constitution.partnership):
        last = (
            Membership.objects.filter(partnership=constitution.partnership, school=school).order_by("-joined").first()
        )
    choose = "choose a current member school as the banker school"
    if last is not None and last.status() == "left":
        return f"{school.name} left the partnership on {date_label(last.left)}: {choose}"
    if last is not None and last.status() == "joining":
        return f"{school.name} does not join the partnership until {date_label(last.joined)}: {choose}"
    return f"{school.name} is not a member school: {choose}"


def _plain(value: Any) -> Any:
    """A value as it goes into the audit data (JSON)."""
    if isinstance(value, School):
        return {"urn": value.urn, "name": value.name}
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def constitution_update(
    *, actor: User, partnership: Partnership, changes: Mapping[str, Any], section: str = ""
) -> Constitution:
    """Change some of the constitution's rules. `changes` maps field names to new values (a School
    for banker_school); None means the agreement does not set that rule, and then nothing enforces it.
    Audited with old and new
    values; nothing is written when nothing changed."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({field: "This rule cannot be changed here" for field in sorted(unknown)})
    with scope(partnership=partnership):
        constitution = Constitution.objects.select_for_update().get(partnership=partnership)
        old = {field: getattr(constitution, field) for field in EDITABLE_FIELDS}
        for field, value in changes.items():
            setattr(constitution, field, value)
        if constitution.quorum_kind is None and "quorum_value" not in changes:
            constitution.quorum_value = None  # "the agreement does not say" clears the whole quorum
        changed = set(changes) | {f for f in EDITABLE_FIELDS if old[f] != getattr(constitution, f)}
        constitution_validate(constitution, member_school_ids=_current_member_school_ids(partnership), fields=changed)
        diff = {
            field: {"old": _plain(old[field]), "new": _plain(getattr(constitution, field))}
            for field in sorted(EDITABLE_FIELDS)
            if old[field] != getattr(constitution, field)
        }
        if not diff:
            return constitution
        constitution.updated_at = timezone.now()
        constitution.updated_by = actor if getattr(actor, "pk", None) else None
        constitution.save()
        title = SECTIONS[section][0].lower() if section in SECTIONS else "rules"
        audit_record(
            subject=constitution,
            actor=actor,
            partnership=partnership,
            action=AuditAction.CONSTITUTION_CHANGED,
            summary=f"The constitution's {title} changed: " + ", ".join(_field_label(f) for f in diff),
            data={"section": section, "changes": diff},
        )
    return constitution


def _field_label(field: str) -> str:
    return str(Constitution._meta.get_field(field).verbose_name).lower()
