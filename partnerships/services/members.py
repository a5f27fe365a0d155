"""Every change to the school register, census and budget figures and the people of a school goes
through here: keyword-only, validated, atomic, audited.

The register, census and budget figures are shared by every partnership a school belongs to; a
coordinator may change the figures only of schools that are (or were, for that year) members of their
own partnership. People of a school are the partnership's own records.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label, has_ended
from partnerships.calendar import census_day, financial_year_bounds, financial_year_of
from partnerships.models import Membership, Partnership, RoleAssignment
from schools import gias
from schools.models import Budget, Census, Person, School
from schools.validators import census_problems

FIRST_YEAR = 2000
MAX_ERRORS_SHOWN = 100
MAX_BUDGET = Decimal("9999999999.99")
BATCH = 500


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row_messages(errors: list[gias.RowError]) -> list[str]:
    messages = [str(error) for error in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        messages.append(f"And {len(errors) - MAX_ERRORS_SHOWN} more rows with problems")
    return messages


def _rejected(errors: list[gias.RowError], field: str = "file") -> ValidationError:
    count = len(errors)
    rows = f"{count} rows of the file have" if count != 1 else "1 row of the file has"
    summary = f"Nothing was imported: {rows} problems"
    return ValidationError({field: [summary, *_row_messages(errors)]})


# ---------------------------------------------------------------------------------------------------
# Membership guard


def _eligible_school_ids(partnership: Partnership, school_ids: Iterable[int], since: datetime.date):
    """(schools with any membership of the partnership, those still members on or after `since`)."""
    with scopes_disabled():
        rows = list(
            Membership.objects.filter(partnership=partnership, school_id__in=list(school_ids)).values_list(
                "school_id", "left"
            )
        )
    ever = {school_id for school_id, _ in rows}
    eligible = {school_id for school_id, left in rows if not has_ended(left, since)}
    return ever, eligible


def _last_left(partnership: Partnership, school: School) -> datetime.date | None:
    with scopes_disabled():
        return (
            Membership.objects.filter(partnership=partnership, school=school)
            .order_by("-left")
            .values_list("left", flat=True)
            .first()
        )


def _member_guard(*, partnership: Partnership, school: School, since: datetime.date, field: str, what: str) -> None:
    ever, eligible = _eligible_school_ids(partnership, [school.pk], since)
    if school.pk not in ever:
        raise ValidationError({"school": f"{school.name} is not a member of {partnership.name}"})
    if school.pk not in eligible:
        left = _last_left(partnership, school)
        raise ValidationError({field: f"{school.name} left {partnership.name} on {date_label(left)}, before {what}"})


# ---------------------------------------------------------------------------------------------------
# The register: GIAS import


@dataclass
class RegisterImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    joined: int = 0
    already_members: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.joined or self.already_members:
            text += f"; {self.joined} added as members, {self.already_members} already members"
        return text


def _join_date_problem(joined: datetime.date) -> str | None:
    today = timezone.localdate()
    if joined.year < FIRST_YEAR:
        return f"The join date must be in {FIRST_YEAR} or later"
    if joined > today + datetime.timedelta(days=366):
        return "The join date must be within a year from today"
    return None


@transaction.atomic
def school_register_import(
    *,
    actor: User | None,
    data: bytes,
    partnership: Partnership | None = None,
    add_as_members: bool = False,
    joined: datetime.date | None = None,
    approval_reference: str = "",
    filename: str = "",
) -> RegisterImportReport:
    """Create or update schools on the shared register from a GIAS establishment CSV, all or nothing.

    Schools are matched by URN. Columns that are absent leave the field as it is; present but empty
    columns clear it. With `partnership` and `joined`, every school in the file that is not already a
    member (on or after `joined`) joins the partnership on that date. The join date and the file are
    checked together, so the coordinator sees every problem at once.
    """
    errors: dict[str, list[str]] = {}
    if add_as_members and partnership is None:
        raise ValueError("Adding schools as members needs a partnership")
    if not add_as_members:
        joined = None
    elif joined is None:
        errors["joined"] = ["Enter the date the schools join the partnership"]
    elif problem := _join_date_problem(joined):
        errors["joined"] = [problem]
    try:
        parsed = gias.parse_establishments(data)
    except gias.FileRejected as error:
        errors["file"] = [error.message]
    else:
        if parsed.errors:
            errors.update(_rejected(parsed.errors).message_dict)
    if errors:
        raise ValidationError(errors)

    report = RegisterImportReport()
    existing: dict[int, School] = {}
    urns = [row.urn for row in parsed.rows]
    for chunk in _chunks(urns):
        existing.update({school.urn: school for school in School.objects.filter(urn__in=chunk)})
    to_create: list[School] = []
    to_update: list[School] = []
    changed_fields: set[str] = set()
    for row in parsed.rows:
        school = existing.get(row.urn)
        if school is None:
            to_create.append(School(urn=row.urn, **row.values))
            continue
        changed = [name for name, value in row.values.items() if getattr(school, name) != value]
        if changed:
            for name in changed:
                setattr(school, name, row.values[name])
            changed_fields.update(changed)
            to_update.append(school)
        else:
            report.unchanged += 1
    School.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        School.objects.bulk_update(to_update, fields=sorted(changed_fields), batch_size=BATCH)
    report.created, report.updated = len(to_create), len(to_update)

    if add_as_members:
        ids: list[int] = []
        for chunk in _chunks(urns):
            ids.extend(School.objects.filter(urn__in=chunk).values_list("pk", flat=True))
        members: set[int] = set()
        for chunk in _chunks(ids):
            members |= _eligible_school_ids(partnership, chunk, joined)[1]
        new = [school_id for school_id in ids if school_id not in members]
        with scopes_disabled():
            Membership.objects.bulk_create(
                [
                    Membership(
                        partnership=partnership,
                        school_id=school_id,
                        joined=joined,
                        approval_reference=approval_reference.strip()[:200],
                    )
                    for school_id in new
                ],
                batch_size=BATCH,
            )
        report.joined, report.already_members = len(new), len(members)

    summary = f"Imported {report.total} schools from a GIAS file{f' ({filename})' if filename else ''}: {report}"
    if report.joined:
        summary += f"; joined on {date_label(joined)}"
    audit_record(
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_REGISTER_IMPORTED,
        summary=summary,
        data={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "joined": report.joined,
            "already_members": report.already_members,
            "join_date": joined.isoformat() if joined else None,
            "filename": filename[:200],
        },
    )
    return report


# ---------------------------------------------------------------------------------------------------
# Census and budget figures


def _census_year_problem(year: int) -> str | None:
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        return f"The census year must be from {FIRST_YEAR} to {this_year}"
    return None


def _financial_year_problem(year: int) -> str | None:
    last = financial_year_of(timezone.localdate()) + 1
    if not FIRST_YEAR <= year <= last:
        return f"The financial year must start from {FIRST_YEAR} to {last}"
    return None


def _fy(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


@transaction.atomic
def census_record(
    *, actor: User, partnership: Partnership, school: School, year: int, headcount: int, fte: Decimal
) -> Census:
    """Record (or correct) a school's January census figures for one year."""
    errors: dict[str, str] = {}
    if problem := _census_year_problem(year):
        errors["year"] = problem
    errors.update(census_problems(headcount=headcount, fte=fte))
    if errors:
        raise ValidationError(errors)
    _member_guard(
        partnership=partnership,
        school=school,
        since=census_day(year),
        field="year",
        what=f"the January {year} census",
    )
    fte = fte.quantize(Decimal("0.1"))
    census = Census.objects.select_for_update().filter(school=school, year=year).first()
    before = (census.headcount, census.fte) if census else None
    if census is None:
        census = Census.objects.create(school=school, year=year, headcount=headcount, fte=fte)
    elif before != (headcount, fte):
        census.headcount, census.fte = headcount, fte
        census.save(update_fields=["headcount", "fte"])
    else:
        return census
    change = f" (was {before[0]} and {before[1]} FTE)" if before else ""
    audit_record(
        subject=school,
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_CENSUS_RECORDED,
        summary=f"January {year} census of {school.name}: {headcount} pupils, {fte} FTE{change}",
        data={"school": school.pk, "year": year, "headcount": headcount, "fte": str(fte)},
    )
    return census


@dataclass
class CensusImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} added, {self.updated} updated, {self.unchanged} unchanged"


@transaction.atomic
def census_import(
    *, actor: User | None, partnership: Partnership, year: int, data: bytes, filename: str = ""
) -> CensusImportReport:
    """Record a year's census figures for member schools from a CSV (URN, Headcount, FTE), all or nothing."""
    errors: dict[str, list[str]] = {}
    if problem := _census_year_problem(year):
        errors["year"] = [problem]
    try:
        parsed = gias.parse_census(data)
    except gias.FileRejected as error:
        errors["file"] = [error.message]
        parsed = None
    if parsed is not None and "year" not in errors:
        row_errors = list(parsed.errors)
        schools: dict[int, School] = {}
        for chunk in _chunks([row.urn for row in parsed.rows]):
            schools.update({s.urn: s for s in School.objects.filter(urn__in=chunk)})
        ever, eligible = _eligible_school_ids(partnership, [s.pk for s in schools.values()], census_day(year))
        for row in parsed.rows:
            school = schools.get(row.urn)
            if school is None or school.pk not in ever:
                name = f"{school.name} (URN {row.urn})" if school else f"URN {row.urn}"
                row_errors.append(gias.RowError(row.line, f"{name} is not a member of {partnership.name}"))
            elif school.pk not in eligible:
                row_errors.append(
                    gias.RowError(
                        row.line,
                        f"{school.name} (URN {row.urn}) left {partnership.name} before the January {year} census",
                    )
                )
        if row_errors:
            errors.update(_rejected(sorted(row_errors, key=lambda e: e.line)).message_dict)
    elif parsed is not None and parsed.errors:
        errors.update(_rejected(parsed.errors).message_dict)
    if errors:
        raise ValidationError(errors)

    report = CensusImportReport()
    existing = {
        c.school_id: c for c in Census.objects.select_for_update().filter(year=year, school__in=list(schools.values()))
    }
    to_create, to_update = [], []
    for row in parsed.rows:
        school = schools[row.urn]
        census = existing.get(school.pk)
        if census is None:
            to_create.append(Census(school=school, year=year, headcount=row.headcount, fte=row.fte))
        elif (census.headcount, census.fte) != (row.headcount, row.fte):
            census.headcount, census.fte = row.headcount, row.fte
            to_update.append(census)
        else:
            report.unchanged += 1
    Census.objects.bulk_create(to_create, batch_size=BATCH)
    Census.objects.bulk_update(to_update, fields=["headcount", "fte"], batch_size=BATCH)
    report.created, report.updated = len(to_create), len(to_update)
    audit_record(
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_CENSUS_IMPORTED,
        summary=f"Imported the January {year} census{f' ({filename})' if filename else ''}: {report}",
        data={
            "year": year,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "filename": filename[:200],
        },
    )
    return report


@transaction.atomic
def budget_record(
    *, actor: User, partnership: Partnership, school: School, financial_year: int, amount: Decimal
) -> Budget:
    """Record (or correct) a school's budget for a financial year (April to March)."""
    errors: dict[str, str] = {}
    if problem := _financial_year_problem(financial_year):
        errors["financial_year"] = problem
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors["amount"] = "Enter the budget in pounds, like 1250000.00"
    elif amount < 0:
        errors["amount"] = "The budget must be £0 or more"
    elif amount > MAX_BUDGET:
        errors["amount"] = "The budget must be less than £10,000,000,000"
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = "The budget has at most two decimal places (pence)"
    if errors:
        raise ValidationError(errors)
    starts, _ = financial_year_bounds(financial_year)
    _member_guard(
        partnership=partnership,
        school=school,
        since=starts,
        field="financial_year",
        what=f"the {_fy(financial_year)} financial year",
    )
    amount = amount.quantize(Decimal("0.01"))
    budget = Budget.objects.select_for_update().filter(school=school, financial_year=financial_year).first()
    before = budget.amount if budget else None
    if budget is None:
        budget = Budget.objects.create(school=school, financial_year=financial_year, amount=amount)
    elif before != amount:
        budget.amount = amount
        budget.save(update_fields=["amount"])
    else:
        return budget
    change = f" (was £{before:,.2f})" if before is not None else ""
    audit_record(
        subject=school,
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_BUDGET_RECORDED,
        summary=f"{_fy(financial_year)} budget of {school.name}: £{amount:,.2f}{change}",
        data={"school": school.pk, "financial_year": financial_year, "amount": str(amount)},
    )
    return budget


# ---------------------------------------------------------------------------------------------------
# People of a school


def _matching_user(partnership: Partnership, email: str):
    """The Commonroom user with this email who holds a role in this partnership, if any."""
    if not email:
        return None
    with scopes_disabled():
        holders = RoleAssignment.objects.filter(partnership=partnership).active().values("user_id")
        return User.objects.filter(email__iexact=email, pk__in=holders).first()


def _person_errors(*, full_name: str, email: str, position: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not full_name:
        errors["full_name"] = "Enter the person's full name"
    elif len(full_name) > 150:
        errors["full_name"] = "The full name must be 150 characters or fewer"
    if len(email) > 254:
        errors["email"] = "The email address must be 254 characters or fewer"
    if position not in Person.Position.values:
        errors["position"] = "Choose a position from the list"
    return errors


def _duplicate(*, partnership, school, full_name, position, exclude_pk=None) -> bool:
    with scopes_disabled():
        same = Person.objects.filter(
            partnership=partnership, school=school, position=position, full_name__iexact=full_name
        )
        if exclude_pk:
            same = same.exclude(pk=exclude_pk)
        return same.exists()


@transaction.atomic
def person_create(
    *, actor: User, partnership: Partnership, school: School, full_name: str, email: str = "", position: str
) -> Person:
    full_name, email = " ".join(full_name.split()), email.strip().lower()
    errors = _person_errors(full_name=full_name, email=email, position=position)
    if errors:
        raise ValidationError(errors)
    _member_guard(partnership=partnership, school=school, since=timezone.localdate(), field="school", what="today")
    label = Person.Position(position).label.lower()
    if _duplicate(partnership=partnership, school=school, full_name=full_name, position=position):
        raise ValidationError({"full_name": f"{full_name} is already listed as {label} of {school.name}"})
    person = Person(
        partnership=partnership,
        school=school,
        full_name=full_name,
        email=email,
        position=position,
        user=_matching_user(partnership, email),
    )
    with scopes_disabled():
        person.save()
    audit_record(
        subject=person,
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_PERSON_ADDED,
        summary=f"{full_name} added as {label} of {school.name}",
        data={"person": person.pk, "school": school.pk, "position": position},
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, full_name: str, email: str = "", position: str) -> Person:
    full_name, email = " ".join(full_name.split()), email.strip().lower()
    errors = _person_errors(full_name=full_name, email=email, position=position)
    if errors:
        raise ValidationError(errors)
    partnership, school = person.partnership, person.school
    label = Person.Position(position).label.lower()
    if _duplicate(partnership=partnership, school=school, full_name=full_name, position=position, exclude_pk=person.pk):
        raise ValidationError({"full_name": f"{full_name} is already listed as {label} of {school.name}"})
    before = {"full_name": person.full_name, "email": person.email, "position": person.position}
    after = {"full_name": full_name, "email": email, "position": position}
    if before == after:
        return person
    person.full_name, person.position = full_name, position
    if email != person.email:
        person.email = email
        person.user = _matching_user(partnership, email)
    with scopes_disabled():
        person.save(update_fields=["full_name", "email", "position", "user"])
    audit_record(
        subject=person,
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_PERSON_CHANGED,
        summary=f"{full_name}, {label} of {school.name}, changed",
        data={"person": person.pk, "before": before, "after": after},
    )
    return person


def _describe(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name} \u201c{obj}\u201d"


@transaction.atomic
def person_remove(*, actor: User, person: Person) -> None:
    """Take a person off their school's list, unless groups or development plans still name them."""
    partnership, school, name = person.partnership, person.school, person.full_name
    pk, position = person.pk, person.get_position_display().lower()
    try:
        with transaction.atomic(), scopes_disabled():
            person.delete()
    except models.ProtectedError as error:
        used = sorted({_describe(obj) for obj in error.protected_objects})
        raise ValidationError(
            {
                "person": f"{name} cannot be removed while they are named in "
                + ", ".join(used[:5])
                + (f" and {len(used) - 5} more" if len(used) > 5 else "")
                + ": change those first"
            }
        ) from None
    audit_record(
        subject=school,
        actor=actor,
        partnership=partnership,
        action=AuditAction.SCHOOLS_PERSON_REMOVED,
        summary=f"{name}, {position} of {school.name}, removed",
        data={"person": pk, "school": school.pk},
    )


@transaction.atomic
def people_link_user(*, actor: User, user: User, partnership: Partnership) -> int:
    """Link the partnership's unlinked people with the user's email to their account (after sign-up).

    Returns how many were linked. Meant for the invitation acceptance flow, where the actor is the user.
    """
    with scopes_disabled():
        linked = Person.objects.filter(partnership=partnership, user__isnull=True, email__iexact=user.email).update(
            user=user
        )
    if linked:
        audit_record(
            subject=user,
            actor=actor,
            partnership=partnership,
            action=AuditAction.SCHOOLS_PERSON_LINKED,
            summary=f"{user} linked to {linked} school record{'s' if linked != 1 else ''}",
            data={"user": user.pk, "count": linked},
        )
    return linked


__all__ = [
    "CensusImportReport",
    "RegisterImportReport",
    "budget_record",
    "census_import",
    "census_record",
    "people_link_user",
    "person_create",
    "person_remove",
    "person_update",
    "school_register_import",
]
