"""Reads for the governance pages: who holds the offices, the elections, the strategy group each term.

Every function runs a fixed number of queries whatever the partnership's size, and is meant to be
called inside the partnership's scope (a request, or a service called with the partnership).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from core.dates import ONE_DAY, has_ended, in_force_between_q
from core.exports import Column, Kind, Table
from partnerships.models import (
    Candidate,
    Constitution,
    Election,
    Membership,
    Partnership,
    RoleAssignment,
    RotaSeat,
    StrategyRota,
    Term,
)
from partnerships.roles import Role
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.terms import next_term_after, term_label, term_on_or_after
from schools.models import School

# --- Small shared helpers ---------------------------------------------------------------------------


def day_in_term(term: Term, today: datetime.date | None = None) -> datetime.date:
    """The day to ask 'who holds which role' for a term: today while it runs, else its first or last day."""
    today = today or timezone.localdate()
    return min(max(term.starts, today), term.ends)


def consecutive_since(starts_ends: list[tuple[datetime.date, datetime.date | None]], day: datetime.date):
    """The first day of the unbroken run of these periods that covers the day before `day`, or None.

    A period's end is its last day, so one that ends the day before the next starts leaves no gap.
    """
    since = day
    changed = True
    while changed:
        changed = False
        for start, end in starts_ends:
            if start < since and not has_ended(end, since - ONE_DAY):
                since, changed = start, True
    return since if since < day else None


def continuous_start(assignment: RoleAssignment, assignments) -> datetime.date:
    """The first day of the unbroken period in which `assignment`'s holder has held its role (for the
    same school): assignments of one role that follow each other without a gap are one period in
    office, so a chair re-elected every year has been chair since their first election. The one
    definition of "since" for the dashboard's "Your roles" and the governance pages."""
    periods = [
        (r.start, r.end)
        for r in assignments
        if r.user_id == assignment.user_id and r.role == assignment.role and r.school_id == assignment.school_id
    ]
    return consecutive_since(periods, assignment.start) or assignment.start


# --- Offices ------------------------------------------------------------------------------------------


@dataclass
class OfficeHolder:
    role: str
    label: str
    user: object
    school: School | None
    since: datetime.date
    until: datetime.date | None
    election: Election | None
    year_number: int = 1

    @property
    def year_ordinal(self) -> str:
        return ordinal(self.year_number)


def ordinal(number: int) -> str:
    words = (
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    ).split()
    return words[number - 1] if 1 <= number <= len(words) else f"{number}th"


def anniversaries(since: datetime.date, on: datetime.date) -> int:
    """Whole years from `since` to `on`: 1 September 2024 to 22 November 2026 is 2."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def election_of(assignment: RoleAssignment) -> Election | None:
    try:
        return assignment.election
    except ObjectDoesNotExist:
        return None


def offices_current(partnership: Partnership, on: datetime.date | None = None) -> dict[str, list[OfficeHolder]]:
    """{"chair": [...], "vice_chair": [...]}: who holds each office on a day, their school and since when.

    Two queries: the office roles (with their elections), then the holders' headteacher roles.
    """
    on = on or timezone.localdate()
    roles = list(
        RoleAssignment.objects.filter(partnership=partnership, role__in=[Role.CHAIR, Role.VICE_CHAIR])
        .select_related("user", "election__school")
        .order_by("start")
    )
    current = [r for r in roles if r.is_active(on)]
    heads = _head_schools(partnership, {r.user_id for r in current}, on)
    result: dict[str, list[OfficeHolder]] = {Role.CHAIR: [], Role.VICE_CHAIR: []}
    for assignment in current:
        election = election_of(assignment)
        school = election.school if election and election.school_id else heads.get(assignment.user_id)
        since = continuous_start(assignment, roles)
        result[assignment.role].append(
            OfficeHolder(
                role=assignment.role,
                label=assignment.get_role_display(),
                user=assignment.user,
                school=school,
                since=since,
                until=assignment.end,
                election=election,
                year_number=max(1, anniversaries(since, on) + 1),
            )
        )
    return result


def _head_schools(partnership: Partnership, user_ids, on: datetime.date) -> dict[int, School]:
    """Each of these people's school as headteacher on a day (the first by name if they lead several)."""
    if not user_ids:
        return {}
    heads: dict[int, School] = {}
    for assignment in (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.HEADTEACHER, user_id__in=user_ids)
        .active(on)
        .select_related("school")
        .order_by("school__name")
    ):
        heads.setdefault(assignment.user_id, assignment.school)
    return heads


def chair_school(partnership: Partnership, on: datetime.date | None = None) -> School | None:
    """The school whose headteacher is the chair on a day: the school recorded at the election, or the
    chair's school as headteacher. Other areas use it (the deputies' network is chaired by the deputy
    of the chair's school)."""
    on = on or timezone.localdate()
    chair = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.CHAIR)
        .active(on)
        .select_related("election__school")
        .order_by("-start")
        .first()
    )
    if chair is None:
        return None
    election = election_of(chair)
    if election is not None and election.school_id:
        return election.school
    return _head_schools(partnership, {chair.user_id}, on).get(chair.user_id)


def elections_history(partnership: Partnership):
    """Every election, newest first, with its candidates (most votes first). Two queries."""
    candidates = Candidate.objects.select_related("user").order_by(F("votes").desc(nulls_last=True), "user__full_name")
    return (
        Election.objects.filter(partnership=partnership)
        .select_related("elected", "school", "recorded_by")
        .prefetch_related(Prefetch("candidates", queryset=candidates))
        .order_by("-term_starts", "office", "-held_on")
    )


def elections_table(elections) -> Table:
    """The elections as a download, as the offices page lists them (`elections_history`): each
    candidate on a line of the Candidates cell, with their votes where counted."""

    def candidates(election) -> str:
        return "\n".join(
            f"{c.user.full_name}: {c.votes} vote{'' if c.votes == 1 else 's'}"
            if c.votes is not None
            else c.user.full_name
            for c in election.candidates.all()
        )

    return Table(
        title="Elections",
        columns=[
            Column("Office"),
            Column("From", Kind.DATE),
            Column("Last day in office", Kind.DATE),
            Column("Elected"),
            Column("School"),
            Column("How"),
            Column("Held", Kind.DATE),
            Column("Candidates"),
            Column("Notes"),
        ],
        rows=[
            (
                election.get_office_display(),
                election.term_starts,
                election.term_ends,
                election.elected.full_name,
                election.school.name if election.school_id else None,
                election.get_method_display(),
                election.held_on,
                candidates(election),
                election.notes or None,
            )
            for election in elections
        ],
    )


# --- The strategy group -------------------------------------------------------------------------------


def school_phases(school: School | None) -> set[str]:
    if school is None:
        return set()
    return {name for name, yes in (("primary", school.is_primary), ("secondary", school.is_secondary)) if yes}


@dataclass
class StrategyPlace:
    """One place on the strategy group in a term: who holds it, for which school, and any substitute."""

    place: str
    person: object | None
    school: School | None = None
    substitute: object | None = None
    seat: RotaSeat | None = None


@dataclass
class StrategyGroup:
    term: Term
    label: str
    rota: StrategyRota | None
    officers: list[StrategyPlace]
    representatives: list[StrategyPlace]
    reserves: list[StrategyPlace]
    warnings: list[str] = field(default_factory=list)
    ended: bool = False
    missing_phases: list[str] = field(default_factory=list)

    @property
    def members(self) -> list[StrategyPlace]:
        return self.officers + self.representatives


def missing_phases(schools: list[School | None], constitution: Constitution) -> list[str]:
    """The phases ("primary", "secondary") the strategy group lacks when its agreement says it should always
    include both; empty when the agreement does not ask for both (or does not say). `schools` are the
    group's: the chair's, the vice chair's and the headteacher representatives'. Confirming a rota is
    refused while this is not empty, unless the coordinator records why."""
    if not constitution.strategy_needs_primary_and_secondary:
        return []
    have = set().union(*(school_phases(s) for s in schools)) if schools else set()
    return [phase for phase in ("primary", "secondary") if phase not in have]


def phase_warnings(schools: list[School | None], member_phases: set[str], constitution: Constitution) -> list[str]:
    """Warnings when the agreement wants primary and secondary schools on the group and it lacks one."""
    warnings = []
    for phase in missing_phases(schools, constitution):
        if phase in member_phases:
            warnings.append(
                f"The strategy group has no {phase} school. The agreement says it should always include "
                "primary and secondary schools: change a representative."
            )
        else:
            warnings.append(
                f"The strategy group has no {phase} school, and no member school is a {phase} school. "
                "The agreement says it should include both."
            )
    return warnings


def member_phases(partnership: Partnership, on: datetime.date) -> set[str]:
    phases = set(Membership.objects.filter(partnership=partnership).current(on).values_list("school__phase", flat=True))
    return {
        phase
        for phase, group in (("primary", School.PRIMARY_PHASES), ("secondary", School.SECONDARY_PHASES))
        if phases & group
    }


def strategy_groups(partnership: Partnership, terms: list[Term]) -> list[StrategyGroup]:
    """The strategy group in each of these terms: the officers from their roles, and the headteacher
    representatives and reserves from the term's rota. Six queries, whatever the number of schools."""
    today = timezone.localdate()
    constitution = constitution_of(partnership)
    rotas = {
        rota.term_id: rota
        for rota in StrategyRota.objects.filter(partnership=partnership, term__in=[t.pk for t in terms if t.pk])
        .select_related("confirmed_by")
        .prefetch_related(
            Prefetch("seats", queryset=RotaSeat.objects.select_related("representative", "reserve", "substitute"))
        )
    }
    days = [day_in_term(term, today) for term in terms]
    first, last = min(days), max(days)
    in_force = in_force_between_q(first, last)
    officers = list(
        RoleAssignment.objects.filter(
            in_force,
            partnership=partnership,
            role__in=[Role.CHAIR, Role.VICE_CHAIR, Role.COORDINATOR],
        )
        .select_related("user", "election__school")
        .order_by("user__full_name")
    )
    seat_schools = {
        school_id
        for rota in rotas.values()
        for seat in rota.seats.all()
        for school_id in (seat.representative_id, seat.reserve_id)
        if school_id
    }
    heads = list(
        RoleAssignment.objects.filter(
            in_force,
            Q(school_id__in=seat_schools) | Q(user_id__in={r.user_id for r in officers}),
            partnership=partnership,
            role=Role.HEADTEACHER,
        )
        .select_related("user", "school")
        .order_by("school__name", "user__full_name")
    )
    phases = member_phases(partnership, today)
    groups = []
    for term, day in zip(terms, days, strict=True):
        rota = rotas.get(term.pk)
        head_of: dict[int, object] = {}
        school_of: dict[int, School] = {}
        for head in heads:
            if head.is_active(day):
                head_of.setdefault(head.school_id, head.user)
                school_of.setdefault(head.user_id, head.school)
        members = []
        for role, label in ((Role.CHAIR, "Chair"), (Role.VICE_CHAIR, "Vice chair"), (Role.COORDINATOR, "Coordinator")):
            for officer in officers:
                if officer.role == role and officer.is_active(day):
                    election = election_of(officer)
                    school = election.school if election and election.school_id else school_of.get(officer.user_id)
                    members.append(StrategyPlace(label, officer.user, school if role != Role.COORDINATOR else None))
        representatives, reserves = [], []
        for seat in rota.seats.all() if rota else []:
            representatives.append(
                StrategyPlace(
                    f"Headteacher representative {seat.seat}",
                    head_of.get(seat.representative_id),
                    seat.representative,
                    seat.substitute,
                    seat,
                )
            )
            if seat.reserve_id:
                reserves.append(
                    StrategyPlace(f"Reserve {seat.seat}", head_of.get(seat.reserve_id), seat.reserve, seat=seat)
                )
        schools = [m.school for m in members if m.place != "Coordinator"] + [m.school for m in representatives]
        warnings = phase_warnings(schools, phases, constitution) if rota else []
        if rota and constitution.strategy_reserve_rotates:
            warnings += [
                f"Seat {seat.seat} has no reserve, so its representative next term will be chosen in turn."
                for seat in rota.seats.all()
                if not seat.reserve_id
            ]
        groups.append(
            StrategyGroup(
                term=term,
                label=term_label(term),
                rota=rota,
                officers=members,
                representatives=representatives,
                reserves=reserves,
                warnings=warnings,
                ended=has_ended(term.ends, today),
                missing_phases=missing_phases(schools, constitution) if rota else [],
            )
        )
    return groups


def strategy_this_and_next(partnership: Partnership) -> list[StrategyGroup]:
    """The strategy group this term (or, in a holiday, the term about to start), next term, and every
    later term that already has a rota (one built ahead is still a draft to find and confirm), in
    term order."""
    this_term = term_on_or_after(partnership, timezone.localdate())
    next_term = next_term_after(partnership, this_term)
    later = list(
        Term.objects.filter(partnership=partnership, starts__gt=next_term.ends, rotas__isnull=False)
        .distinct()
        .order_by("starts")
    )
    return strategy_groups(partnership, [this_term, next_term, *later])


def rota_with_seats(partnership: Partnership, rota_pk) -> StrategyRota | None:
    return (
        StrategyRota.objects.filter(partnership=partnership, pk=rota_pk)
        .select_related("term")
        .prefetch_related(
            Prefetch("seats", queryset=RotaSeat.objects.select_related("representative", "reserve", "substitute"))
        )
        .first()
    )


def rotas_exist(partnership: Partnership) -> dict[str, bool]:
    """Whether the partnership has any rota, and any confirmed rota (one query)."""
    counts = StrategyRota.objects.filter(partnership=partnership).aggregate(
        any=Count("pk"), confirmed=Count("confirmed_at")
    )
    return {"any": counts["any"] > 0, "confirmed": counts["confirmed"] > 0}
