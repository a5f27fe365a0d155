"""Reads that the members directory and school pages share. Each returns its joins, so a page runs
the same number of queries however many schools, people or figures there are.

All of these run inside the request's django-scopes scope: Membership, Person and RoleAssignment
are filtered to the current partnership by their scoped managers.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from core.dates import in_force_between_q
from core.exports import Column, Kind, Table
from partnerships.models import Membership, RoleAssignment
from schools.models import Budget, Census, Person, School

STATUSES = {"active": "Active", "leaving": "Leaving", "left": "Left"}

_POSITION_ORDER = Case(
    *(When(position=value, then=Value(index)) for index, value in enumerate(Person.Position.values)),
    default=Value(len(Person.Position.values)),
    output_field=IntegerField(),
)


def latest_memberships() -> QuerySet[Membership]:
    """One membership per school that has ever been a member: its most recent one (by join date)."""
    later = Membership.objects.filter(school=OuterRef("school"), joined__gt=OuterRef("joined"))
    return Membership.objects.filter(~Exists(later))


def directory(
    *, q: str = "", phase: str = "", status: str = "", on: datetime.date | None = None
) -> QuerySet[Membership]:
    """The members directory: every school with a membership of the partnership (active, leaving, left).

    Status follows Membership.status(): active and leaving are current members
    (`Membership.objects.current(on)`) without and with a last day; left have passed their last day.
    A school joining later is in none of them (Membership.status() says "joining").
    """
    on = on or timezone.localdate()
    rows = latest_memberships().select_related("school")
    q = " ".join(q.split())
    if q:
        match = Q(school__name__icontains=q)
        if q.isdigit() and len(q) <= 9:
            match |= Q(school__urn=int(q))
        rows = rows.filter(match)
    if phase:
        rows = rows.filter(school__phase=phase)
    if status == "active":
        rows = rows.current(on).filter(left__isnull=True)
    elif status == "leaving":
        rows = rows.current(on).filter(left__isnull=False)
    elif status == "left":
        rows = rows.ended(on)
    return rows.order_by("school__name", "school__urn")


def directory_table(rows: QuerySet[Membership], on: datetime.date) -> Table:
    """The members directory as a download: `rows` as the page's search chose them, every page of them,
    with only what the page shows (nothing a school keeps private). One query."""
    return Table(
        title="Member schools",
        columns=[
            Column("School"),
            Column("Status"),
            Column("URN", Kind.REFERENCE),
            Column("Phase"),
            Column("Local authority"),
            Column("Joined", Kind.DATE),
        ],
        rows=(
            (
                membership.school.name,
                membership.status_label(on),
                membership.school.urn,
                membership.school.get_phase_display(),
                membership.school.local_authority,
                membership.joined,
            )
            for membership in rows.iterator(chunk_size=2000)
        ),
    )


def member_school_or_none(urn: int) -> School | None:
    """The school with this URN if it has ever been a member of the partnership (else None: a 404)."""
    if urn > 2_147_483_647:
        return None
    return School.objects.filter(urn=urn, pk__in=Membership.objects.values("school_id")).first()


def school_memberships(school: School) -> list[Membership]:
    return list(Membership.objects.filter(school=school).order_by("-joined"))


def school_people(school: School) -> QuerySet[Person]:
    return (
        Person.objects.filter(school=school)
        .select_related("user")
        .annotate(position_order=_POSITION_ORDER)
        .order_by("position_order", "full_name")
    )


def school_roles(school: School, on: datetime.date | None = None) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.active(on)
        .filter(school=school)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def school_censuses(school: School) -> QuerySet[Census]:
    return Census.objects.filter(school=school).order_by("-year")


def school_budgets(school: School) -> QuerySet[Budget]:
    return Budget.objects.filter(school=school).order_by("-financial_year")


def school_headteachers(school: School) -> QuerySet[Person]:
    """The school's headteacher(s) as the partnership knows them: their name and work email are shared
    with every member, whatever the constitution says about the rest of the school's people."""
    return Person.objects.filter(school=school, position=Person.Position.HEADTEACHER).order_by("full_name")


def membership_days(partnership, school: School, first: datetime.date, last: datetime.date):
    """The first and last day from `first` to `last` (inclusive) on which the school was a member of
    the partnership, or None when it was a member on none of them. One query."""
    spans = Membership.objects.filter(partnership=partnership, school=school).filter(
        in_force_between_q(first, last, start="joined", end="left")
    )
    days = [(max(m.joined, first), min(m.left or last, last)) for m in spans]
    if not days:
        return None
    return min(day for day, _ in days), max(day for _, day in days)


def member_school_ids_between(partnership, first: datetime.date, last: datetime.date) -> list[int]:
    """The schools that were members on at least one day from `first` to `last`. One query."""
    return sorted(
        set(
            Membership.objects.filter(partnership=partnership)
            .filter(in_force_between_q(first, last, start="joined", end="left"))
            .values_list("school_id", flat=True)
        )
    )
