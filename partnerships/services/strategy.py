"""The strategy group's termly rota of headteacher representatives.

Exeter Beacon's agreement: "Head teacher representation will be on a termly basis, and will be
supported by one reserve representative, who in turn will become the elected representative the
subsequent term ... The strategy group should always include primary and secondary representation."
Each seat of the rota names the representative's school and its reserve; next term the reserve
represents the seat and a new reserve is chosen in turn. The chair, vice chair and coordinator sit on
the group through their roles, so their schools are not on the rota.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label, has_ended
from partnerships.models import Membership, Partnership, RoleAssignment, RotaSeat, StrategyRota, Term
from partnerships.roles import Role
from partnerships.selectors.governance import (
    constitution_of,
    day_in_term,
    member_phases,
    next_term_after,
    phase_warnings,
    school_phases,
    strategy_groups,
    term_label,
    term_on_or_after,
)
from partnerships.services.representatives import strategy_roles_sync
from partnerships.services.terms import term_saved
from schools.models import School


def _seats_prefetch() -> Prefetch:
    # Built when used: a scoped manager's queryset made at import time, outside any scope, refuses to run.
    return Prefetch("seats", queryset=RotaSeat.objects.select_related("representative", "reserve", "substitute"))


@dataclass
class RotaEligibility:
    """Who can sit on the rota in a term: member schools not leaving, with a headteacher, whose
    headteacher is not already on the group as chair or vice chair."""

    partnership: Partnership
    term: Term
    day: datetime.date
    members: dict[int, Membership]
    heads: dict[int, list] = field(default_factory=dict)
    deputies: dict[int, set[int]] = field(default_factory=dict)
    officer_schools: dict[int, tuple[School, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return term_label(self.term)

    def problem(self, school: School) -> str | None:
        membership = self.members.get(school.pk)
        if membership is None:
            return f"{school.name} is not a member of {self.partnership.name} in the {self.label}"
        if membership.left is not None:
            if has_ended(membership.left, timezone.localdate()):
                return f"{school.name} left the partnership on {date_label(membership.left)}"
            return f"{school.name} is leaving the partnership on {date_label(membership.left)}"
        if not self.heads.get(school.pk):
            return f"{school.name} has no headteacher with a role in the partnership"
        if school.pk in self.officer_schools:
            office = self.officer_schools[school.pk][1]
            return f"{school.name}'s headteacher is the {office}, who is on the group already"
        return None

    def schools(self) -> list[School]:
        return [m.school for m in self.members.values()]


def rota_eligibility(partnership: Partnership, term: Term) -> RotaEligibility:
    """Two queries: the memberships in force, and the headteachers, deputies and officers."""
    day = day_in_term(term)
    members = {
        m.school_id: m for m in Membership.objects.filter(partnership=partnership).current(day).select_related("school")
    }
    result = RotaEligibility(partnership=partnership, term=term, day=day, members=members)
    roles = list(
        RoleAssignment.objects.filter(
            partnership=partnership, role__in=[Role.HEADTEACHER, Role.DEPUTY, Role.CHAIR, Role.VICE_CHAIR]
        )
        .active(day)
        .select_related("user", "school")
        .order_by("school__name")
    )
    for r in roles:
        if r.role == Role.HEADTEACHER:
            result.heads.setdefault(r.school_id, []).append(r.user)
        elif r.role == Role.DEPUTY:
            result.deputies.setdefault(r.school_id, set()).add(r.user_id)
    for officer in (r for r in roles if r.role in (Role.CHAIR, Role.VICE_CHAIR)):
        for head in (r for r in roles if r.role == Role.HEADTEACHER and r.user_id == officer.user_id):
            result.officer_schools.setdefault(head.school_id, (head.school, officer.get_role_display().lower()))
    return result


def _seat_errors(
    *,
    representative: School | None,
    reserve: School | None,
    same_kind: Sequence[tuple[int, School | None, School | None]],
    others: Sequence[tuple[int, School | None, School | None]],
    eligibility: RotaEligibility,
) -> dict[str, str]:
    """The rules for one seat against the rest of the rota. `same_kind` are the seats a repeated
    representative or reserve is reported against; `others` are all the other seats."""
    errors: dict[str, str] = {}
    if representative is None:
        errors["representative"] = "Choose the representative's school"
    else:
        problem = eligibility.problem(representative)
        for number, rep, _ in same_kind:
            if rep is not None and rep.pk == representative.pk:
                problem = f"{representative.name} is already the representative for seat {number}"
        for number, _, res in others:
            if res is not None and res.pk == representative.pk:
                problem = (
                    f"{representative.name} is the reserve for seat {number}: a school can be on the rota only once"
                )
        if problem:
            errors["representative"] = problem
    if reserve is not None:
        problem = eligibility.problem(reserve)
        if representative is not None and reserve.pk == representative.pk:
            problem = f"{reserve.name} is this seat's representative: the reserve must be another school"
        for number, _, res in same_kind:
            if res is not None and res.pk == reserve.pk:
                problem = f"{reserve.name} is already the reserve for seat {number}"
        for number, rep, _ in others:
            if rep is not None and rep.pk == reserve.pk:
                problem = (
                    f"{reserve.name} is the representative for seat {number}: a representative cannot also be a reserve"
                )
        if problem:
            errors["reserve"] = problem
    return errors


def _term_has_ended(term: Term) -> str | None:
    if has_ended(term.ends, timezone.localdate()):
        return f"The {term_label(term)} ended on {date_label(term.ends)}"
    return None


def _head_count_or_error(partnership: Partnership) -> int:
    seats = constitution_of(partnership).strategy_head_reps
    if seats is None:
        raise ValidationError(
            "The agreement does not say how many headteacher representatives sit on the strategy group: "
            "set how many there are on the constitution page before building a rota"
        )
    if seats < 1:
        raise ValidationError(
            "The constitution has no headteacher representatives on the strategy group: "
            "set how many there are on the constitution page first"
        )
    return seats


# --- The first rota ---------------------------------------------------------------------------------


@transaction.atomic
def rota_create(
    *, actor: User, partnership: Partnership, seats: Sequence[tuple[School | None, School | None]]
) -> StrategyRota:
    """The partnership's first rota, for the current term (or the next, in a holiday), as a draft.

    `seats` lists (representative, reserve) from seat 1; errors are keyed representative_N / reserve_N.
    """
    if StrategyRota.objects.filter(partnership=partnership).exists():
        raise ValidationError("The strategy group already has a rota: build next term's from it, or change a seat")
    count = _head_count_or_error(partnership)
    if len(seats) != count:
        raise ValidationError(f"The constitution has {count} headteacher representatives: choose one for each seat")
    term = term_saved(partnership, term_on_or_after(partnership, timezone.localdate()))
    eligibility = rota_eligibility(partnership, term)
    numbered = [(number, rep, res) for number, (rep, res) in enumerate(seats, start=1)]
    errors: dict[str, str] = {}
    for number, rep, res in numbered:
        seat_errors = _seat_errors(
            representative=rep,
            reserve=res,
            same_kind=[s for s in numbered if s[0] < number],
            others=[s for s in numbered if s[0] != number],
            eligibility=eligibility,
        )
        errors.update({f"{key}_{number}": message for key, message in seat_errors.items()})
    if errors:
        raise ValidationError(errors)
    rota = StrategyRota.objects.create(partnership=partnership, term=term)
    RotaSeat.objects.bulk_create(
        RotaSeat(rota=rota, seat=number, representative=rep, reserve=res) for number, rep, res in numbered
    )
    audit_record(
        subject=rota,
        actor=actor,
        partnership=partnership,
        action=AuditAction.ROTA_CREATED,
        summary=f"First strategy group rota drafted for the {term_label(term)}: "
        + "; ".join(f"seat {n} {rep.name}" + (f" (reserve {res.name})" if res else "") for n, rep, res in numbered),
        data={
            "rota": rota.pk,
            "term": term.pk,
            "seats": [[n, rep.pk, getattr(res, "pk", None)] for n, rep, res in numbered],
        },
    )
    return rota


# --- Next term's rota -------------------------------------------------------------------------------


@dataclass
class SeatPlan:
    seat: int
    representative: School
    reserve: School | None
    representative_reason: str
    reserve_reason: str


@dataclass
class RotaPlan:
    term: Term
    source: StrategyRota
    seats: list[SeatPlan]
    warnings: list[str]

    @property
    def label(self) -> str:
        return term_label(self.term)

    @property
    def source_label(self) -> str:
        return term_label(self.source.term)


def _last_served(partnership: Partnership) -> dict[int, tuple[datetime.date, str]]:
    """Each school's latest term as a representative on a confirmed rota: {school id: (start, label)}."""
    last: dict[int, tuple[datetime.date, str]] = {}
    for school_id, starts, name, year in RotaSeat.objects.filter(
        rota__partnership=partnership, rota__confirmed_at__isnull=False
    ).values_list("representative_id", "rota__term__starts", "rota__term__name", "rota__term__academic_year"):
        if school_id not in last or starts > last[school_id][0]:
            last[school_id] = (starts, term_label(Term(name=name, academic_year=year)))
    return last


def _pick(pool: list[School], have: list[School], needs_both: bool, last) -> tuple[School | None, str]:
    """The first school in rotation order, unless the group lacks a phase that a later school gives it.
    Returns the school and why it was chosen."""
    if not pool:
        return None, ""
    missing = {"primary", "secondary"} - set().union(*(school_phases(s) for s in have)) if needs_both else set()
    choice, phase = pool[0], None
    for school in pool:
        fixes = school_phases(school) & missing
        if fixes:
            choice, phase = school, sorted(fixes)[0]
            break
    if choice.pk in last:
        history = f"it last had a representative in the {last[choice.pk][1]}"
    else:
        history = "it has not had a representative yet"
    if choice is not pool[0]:
        return choice, f"Chosen ahead of its turn: it is a {phase} school, which the group needs ({history})."
    if phase:
        return choice, f"Chosen in turn: {history}. It is a {phase} school, which the group needs."
    return choice, f"Chosen in turn: {history}."


def rota_plan_next(*, partnership: Partnership) -> RotaPlan:
    """What building next term's rota would do, without doing it (the build page shows it first).

    Each seat's reserve becomes its representative; new reserves are member schools in turn, those that
    were represented least recently first, never a school already on the rota, skipping schools that
    are leaving or have no headteacher, and preferring a school that gives the group a missing phase.
    """
    today = timezone.localdate()
    source = (
        StrategyRota.objects.filter(partnership=partnership, confirmed_at__isnull=False)
        .select_related("term")
        .prefetch_related(_seats_prefetch())
        .order_by("-term__starts")
        .first()
    )
    if source is None:
        raise ValidationError(
            "There is no confirmed rota to build from: set up the strategy group's first rota and confirm it"
        )
    term = next_term_after(partnership, source.term)
    if has_ended(term.ends, today):  # the rota has lapsed for a while: carry on from this term
        term = term_on_or_after(partnership, today)
    term = term_saved(partnership, term)
    existing = StrategyRota.objects.filter(partnership=partnership, term=term).first()
    if existing is not None:
        state = "a confirmed rota" if existing.is_confirmed else "a draft rota"
        raise ValidationError(
            f"The {term_label(term)} already has {state}: change its seats on the strategy group page"
        )
    count = _head_count_or_error(partnership)
    constitution = constitution_of(partnership)
    needs_both = bool(constitution.strategy_needs_primary_and_secondary)  # unset: no rule
    eligibility = rota_eligibility(partnership, term)
    last = _last_served(partnership)
    order = sorted(
        (s for s in eligibility.schools() if eligibility.problem(s) is None),
        key=lambda s: (last.get(s.pk, (datetime.date.min, ""))[0], s.name),
    )
    officers = [school for school, _ in eligibility.officer_schools.values()]
    source_seats = {seat.seat: seat for seat in source.seats.all()}
    source_label = term_label(source.term)
    taken: set[int] = set()
    reps: dict[int, tuple[School, str]] = {}
    pending: list[tuple[int, str]] = []
    for number in range(1, count + 1):
        seat = source_seats.get(number)
        reserve = seat.reserve if seat else None
        if reserve is None:
            pending.append((number, f"Seat {number} had no reserve in the {source_label}."))
            continue
        problem = eligibility.problem(reserve) or (
            f"{reserve.name} is already on the rota" if reserve.pk in taken else None
        )
        if problem:
            pending.append((number, f"The reserve, {reserve.name}, cannot take the seat: {problem}."))
        else:
            reps[number] = (reserve, f"The reserve for this seat in the {source_label}.")
            taken.add(reserve.pk)
    for number, why in pending:
        choice, reason = _pick(
            [s for s in order if s.pk not in taken], officers + [rep for rep, _ in reps.values()], needs_both, last
        )
        if choice is None:
            raise ValidationError(
                f"No member school is left to represent seat {number}: every school with a headteacher is "
                "on the rota or on the group already"
            )
        reps[number] = (choice, f"{why} {reason}")
        taken.add(choice.pk)
    seats: list[SeatPlan] = []
    reserves: list[School] = []
    for number in range(1, count + 1):
        choice, reason = _pick([s for s in order if s.pk not in taken], officers + reserves, needs_both, last)
        if choice is not None:
            taken.add(choice.pk)
            reserves.append(choice)
        else:
            reason = "No member school is left to be the reserve."
        rep, rep_reason = reps[number]
        seats.append(SeatPlan(number, rep, choice, rep_reason, reason))
    warnings = phase_warnings(
        officers + [s.representative for s in seats], member_phases(partnership, today), constitution
    )
    return RotaPlan(term=term, source=source, seats=seats, warnings=warnings)


@transaction.atomic
def rota_build_next(*, actor: User, partnership: Partnership) -> StrategyRota:
    """Build next term's draft rota from the latest confirmed one (see rota_plan_next)."""
    plan = rota_plan_next(partnership=partnership)
    rota = StrategyRota.objects.create(partnership=partnership, term=plan.term)
    RotaSeat.objects.bulk_create(
        RotaSeat(rota=rota, seat=s.seat, representative=s.representative, reserve=s.reserve) for s in plan.seats
    )
    audit_record(
        subject=rota,
        actor=actor,
        partnership=partnership,
        action=AuditAction.ROTA_BUILT,
        summary=f"Strategy group rota drafted for the {plan.label} from the {plan.source_label}: "
        + "; ".join(
            f"seat {s.seat} {s.representative.name}" + (f" (reserve {s.reserve.name})" if s.reserve else "")
            for s in plan.seats
        ),
        data={
            "rota": rota.pk,
            "term": plan.term.pk,
            "from_rota": plan.source.pk,
            "seats": [[s.seat, s.representative.pk, getattr(s.reserve, "pk", None)] for s in plan.seats],
        },
    )
    return rota


# --- Changing a seat and confirming -------------------------------------------------------------------


@transaction.atomic
def rota_seat_update(
    *,
    actor: User,
    seat: RotaSeat,
    representative: School | None,
    reserve: School | None,
    substitute: User | None = None,
) -> RotaSeat:
    """Change a seat's representative, reserve or substitute (a deputy of the representative's school)."""
    seat = RotaSeat.objects.select_for_update().select_related("rota__term", "rota__partnership").get(pk=seat.pk)
    rota = seat.rota
    ended = _term_has_ended(rota.term)
    if ended:
        raise ValidationError(f"{ended}: its rota can no longer change")
    eligibility = rota_eligibility(rota.partnership, rota.term)
    others = [
        (s.seat, s.representative, s.reserve)
        for s in rota.seats.exclude(pk=seat.pk).select_related("representative", "reserve")
    ]
    errors = _seat_errors(
        representative=representative, reserve=reserve, same_kind=others, others=others, eligibility=eligibility
    )
    if substitute is not None and representative is not None and "representative" not in errors:
        if substitute.pk not in eligibility.deputies.get(representative.pk, set()):
            errors["substitute"] = (
                f"{substitute} is not a deputy headteacher of {representative.name}: only a deputy of the "
                "representative's school may substitute for its headteacher"
            )
    if errors:
        raise ValidationError(errors)
    before = {
        "representative": seat.representative_id,
        "reserve": seat.reserve_id,
        "substitute": seat.substitute_id,
    }
    seat.representative, seat.reserve, seat.substitute = representative, reserve, substitute
    seat.save(update_fields=["representative", "reserve", "substitute"])
    if rota.is_confirmed and not rota.phase_reason:
        # A confirmed rota had both phases (or a recorded reason): a change may not quietly lose one.
        missing = strategy_groups(rota.partnership, [rota.term])[0].missing_phases
        if missing:
            lacking = " or ".join(f"{phase} school" for phase in missing)
            raise ValidationError(
                {
                    "representative": f"This would leave the strategy group with no {lacking}, which the "
                    "agreement says it should always include: choose another school"
                }
            )
    after = {
        "representative": representative.pk,
        "reserve": getattr(reserve, "pk", None),
        "substitute": getattr(substitute, "pk", None),
    }
    audit_record(
        subject=rota,
        actor=actor,
        partnership=rota.partnership,
        action=AuditAction.ROTA_SEAT_CHANGED,
        summary=f"Seat {seat.seat} of the {term_label(rota.term)} rota: {representative.name}"
        + (f", reserve {reserve.name}" if reserve else ", no reserve")
        + (f", {substitute} substitutes" if substitute else ""),
        data={"rota": rota.pk, "seat": seat.pk, "before": before, "after": after, "confirmed": rota.is_confirmed},
    )
    if rota.is_confirmed:  # the confirmed rota is the record of who holds the roles: they follow the seat
        strategy_roles_sync(actor=actor, rota=rota)
    return seat


@transaction.atomic
def rota_confirm(*, actor: User, rota: StrategyRota, phase_reason: str = "") -> StrategyRota:
    """Confirm a draft rota, which starts its representatives' and reserves' roles for the term.

    Refused for a term that has ended, or while a seat breaks a rule. Where the agreement says the group
    should always include primary and secondary schools, a group (chair, vice chair and representatives)
    without both is refused unless the coordinator gives `phase_reason`, which is kept on the rota and in
    the audit trail.
    """
    rota = StrategyRota.objects.select_for_update().select_related("term", "partnership").get(pk=rota.pk)
    if rota.is_confirmed:
        raise ValidationError(
            f"The rota for the {term_label(rota.term)} was already confirmed on {date_label(rota.confirmed_at.date())}"
        )
    ended = _term_has_ended(rota.term)
    if ended:
        raise ValidationError(f"{ended}: a rota cannot be confirmed for a term that has ended")
    seats = list(rota.seats.select_related("representative", "reserve"))
    if not seats:
        raise ValidationError("The rota has no seats")
    eligibility = rota_eligibility(rota.partnership, rota.term)
    numbered = [(s.seat, s.representative, s.reserve) for s in seats]
    problems = []
    for number, rep, res in numbered:
        errors = _seat_errors(
            representative=rep,
            reserve=res,
            same_kind=[s for s in numbered if s[0] < number],
            others=[s for s in numbered if s[0] != number],
            eligibility=eligibility,
        )
        problems += [f"Seat {number}: {message}" for message in errors.values()]
    if problems:
        raise ValidationError(problems)
    missing = strategy_groups(rota.partnership, [rota.term])[0].missing_phases
    reason = phase_reason.strip() if missing else ""
    if missing and not reason:
        lacking = " or ".join(f"{phase} school" for phase in missing)
        raise ValidationError(
            {
                "phase_reason": f"Enter why the strategy group has no {lacking}, or change a representative: "
                "the agreement says the group should always include primary and secondary schools"
            }
        )
    rota.confirmed_at = timezone.now()
    rota.confirmed_by = actor
    rota.phase_reason = reason
    rota.save(update_fields=["confirmed_at", "confirmed_by", "phase_reason"])
    audit_record(
        subject=rota,
        actor=actor,
        partnership=rota.partnership,
        action=AuditAction.ROTA_CONFIRMED,
        summary=f"Strategy group rota for the {term_label(rota.term)} confirmed: "
        + "; ".join(f"seat {n} {rep.name}" + (f" (reserve {res.name})" if res else "") for n, rep, res in numbered)
        + (f". Without a {' or '.join(missing)} school, because: {reason}" if reason else ""),
        data={"rota": rota.pk, "term": rota.term_id, "missing_phases": missing, "phase_reason": reason},
    )
    strategy_roles_sync(actor=actor, rota=rota)
    return rota
