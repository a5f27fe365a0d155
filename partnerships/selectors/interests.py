"""Reads for the register of interests: each person's latest declaration and whether it is due again.

Everyone with a role that declares interests declares once a year (or "nothing to declare"); the
latest declaration supersedes the earlier ones. A declaration older than a year is out of date.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.exports import Column, Kind, Table
from partnerships.models import InterestDeclaration, InterestReminder, Partnership, RoleAssignment
from partnerships.roles import PARTNERSHIP_PERMISSIONS

# The roles whose holders declare interests (every role that grants declare_interests).
DECLARING_ROLES = sorted(role for role, perms in PARTNERSHIP_PERMISSIONS.items() if "declare_interests" in perms)
VALID_FOR = datetime.timedelta(days=365)

MISSING, OUT_OF_DATE, UP_TO_DATE = "missing", "out_of_date", "up_to_date"
STATE_LABELS = {MISSING: "Missing", OUT_OF_DATE: "Out of date", UP_TO_DATE: "Up to date"}


def valid_since(today: datetime.date) -> datetime.date:
    """The earliest day a declaration can have been made and still be up to date on `today`."""
    return today - VALID_FOR


def declaration_state(declaration: InterestDeclaration | None, today: datetime.date | None = None) -> str:
    if declaration is None:
        return MISSING
    today = today or timezone.localdate()
    return UP_TO_DATE if declaration.declared_on >= valid_since(today) else OUT_OF_DATE


def _latest(partnership: Partnership) -> QuerySet:
    """Declarations with no later one by the same person in the same partnership."""
    newer = InterestDeclaration.objects.filter(partnership=OuterRef("partnership"), user=OuterRef("user")).filter(
        Q(declared_on__gt=OuterRef("declared_on")) | Q(declared_on=OuterRef("declared_on"), pk__gt=OuterRef("pk"))
    )
    return InterestDeclaration.objects.filter(partnership=partnership).filter(~Exists(newer))


def interests_for_users(
    partnership: Partnership, user_ids: Iterable[int] | QuerySet, today: datetime.date | None = None
) -> dict[int, InterestDeclaration]:
    """Each user's latest declaration, with its interests, keyed by user id (two queries for any number).

    `user_ids` may be a list or a queryset of ids (used as a subquery). Users who never declared are
    absent. Each declaration has `state` ("up_to_date" or "out_of_date") and `interest_list` set.
    """
    if not isinstance(user_ids, QuerySet):
        user_ids = list(user_ids)
    declarations = _latest(partnership).filter(user_id__in=user_ids).prefetch_related("interests")
    result = {}
    for declaration in declarations:
        declaration.state = declaration_state(declaration, today)
        declaration.state_label = STATE_LABELS[declaration.state]
        declaration.interest_list = list(declaration.interests.all())
        result[declaration.user_id] = declaration
    return result


@dataclass
class RegisterRow:
    user: object
    roles: list[RoleAssignment] = field(default_factory=list)
    declaration: InterestDeclaration | None = None
    state: str = MISSING

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_due(self) -> bool:
        return self.state != UP_TO_DATE


def declaring_roles(on: datetime.date | None = None) -> QuerySet:
    return RoleAssignment.objects.active(on).filter(role__in=DECLARING_ROLES)


def register(partnership: Partnership, today: datetime.date | None = None) -> list[RegisterRow]:
    """Everyone with a role in force that declares interests, their roles and latest declaration."""
    today = today or timezone.localdate()
    rows: dict[int, RegisterRow] = {}
    for assignment in (
        declaring_roles(today).select_related("user", "school").order_by("user__full_name", "user_id", "role", "pk")
    ):
        rows.setdefault(assignment.user_id, RegisterRow(assignment.user)).roles.append(assignment)
    latest = interests_for_users(partnership, declaring_roles(today).values("user_id"), today)
    for user_id, row in rows.items():
        row.declaration = latest.get(user_id)
        row.state = declaration_state(row.declaration, today)
    return list(rows.values())


def _interests_text(declaration: InterestDeclaration | None) -> str:
    """What the register's Interests column says, as one cell: each interest on a line of its own."""
    if declaration is None:
        return "None recorded"
    if declaration.nothing_to_declare:
        return "Nothing to declare"
    return "\n".join(
        f"{interest.description} ({'pecuniary' if interest.kind == 'pecuniary' else 'other'})"
        for interest in declaration.interest_list
    )


def register_table(rows: list[RegisterRow], *, title: str) -> Table:
    """The register of interests as a download: `rows` as the page lists them (everyone, or only those
    missing or out of date), with their roles and latest declaration."""
    return Table(
        title=title,
        columns=[
            Column("Name"),
            Column("Email"),
            Column("Status"),
            Column("Roles"),
            Column("Declared", Kind.DATE),
            Column("Interests"),
        ],
        rows=[
            (
                row.user.full_name,
                row.user.email,
                row.state_label,
                "\n".join(str(role) for role in row.roles),
                row.declaration.declared_on if row.declaration else None,
                _interests_text(row.declaration),
            )
            for row in rows
        ],
    )


def reminders_due(partnership: Partnership, today: datetime.date | None = None) -> list[RegisterRow]:
    """The people whose declaration is missing or more than a year old."""
    return [row for row in register(partnership, today) if row.is_due]


def declarations_due_count(partnership: Partnership, today: datetime.date | None = None) -> int:
    """How many people `reminders_due` would list, counted in one query (for the dashboard)."""
    today = today or timezone.localdate()
    recent = InterestDeclaration.objects.filter(partnership=partnership, declared_on__gte=valid_since(today))
    return declaring_roles(today).exclude(user_id__in=recent.values("user_id")).values("user_id").distinct().count()


def reminded_on(partnership: Partnership, day: datetime.date) -> set[int]:
    """The ids of the users already reminded on `day`."""
    return set(InterestReminder.objects.filter(partnership=partnership, day=day).values_list("user_id", flat=True))


def declarations_of(partnership: Partnership, user) -> list[InterestDeclaration]:
    """One person's own declarations, newest first, with their interests."""
    return list(
        InterestDeclaration.objects.filter(partnership=partnership, user=user)
        .prefetch_related("interests")
        .order_by("-declared_on", "-pk")
    )
