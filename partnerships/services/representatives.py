"""The strategy group's representative and reserve roles, which only the confirmed rota gives.

The rota is the one record of who represents the schools on the strategy group: confirming it, or
changing a seat of a confirmed rota, calls `strategy_roles_sync`, and nothing else starts these roles
(`role_start` refuses them), so the people page always shows what the rota says and a partnership
without a rota has no representatives.

Who holds a seat's role: the seat's substitute when one is named, since that deputy attends in the
headteacher's place and so is the one the group sends its papers to; otherwise the headteacher of the
representative's school. A reserve's role goes to the headteacher of the reserve's school.

The roles run over the rota's term, from its first day (or today, when the rota is confirmed or changed
during the term) to its last day, inclusive, and follow the school's leadership within it: when a
headteacher's (or the substituting deputy's) role starts or ends, `strategy_roles_follow_leaders` syncs
again, so the role ends with the old head's last day and the new head holds it from their first.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import ONE_DAY, date_label, has_ended, in_force_between_q
from partnerships.models import Partnership, RoleAssignment, StrategyRota
from partnerships.roles import ROTA_ROLES, Role
from partnerships.selectors.terms import term_label
from schools.models import School

Interval = tuple[int, str, datetime.date, datetime.date]  # (user id, role, first day, last day)


def _holders(rota: StrategyRota, first: datetime.date) -> list[Interval]:
    """Who holds each role the rota gives, and when, from `first` to the end of its term: a seat's
    representative is its substitute's deputy role, else the representative school's headteacher role,
    day by day; a reserve, the reserve school's headteacher. A new headteacher takes over the day their
    role starts."""
    term = rota.term
    seats = list(rota.seats.all())
    schools = {s.representative_id for s in seats} | {s.reserve_id for s in seats if s.reserve_id}
    leaders = list(
        RoleAssignment.objects.filter(
            in_force_between_q(first, term.ends),
            partnership_id=rota.partnership_id,
            role__in=[Role.HEADTEACHER, Role.DEPUTY],
            school_id__in=schools,
        ).order_by("start", "pk")
    )
    periods: dict[tuple[int, str], list[tuple[datetime.date, datetime.date]]] = {}

    def hold(assignments, role: str) -> None:
        for leader in assignments:
            starts = max(leader.start, first)
            last = term.ends if leader.end is None else min(leader.end, term.ends)
            periods.setdefault((leader.user_id, role), []).append((starts, last))

    for seat in seats:
        if seat.substitute_id:
            hold(
                (
                    x
                    for x in leaders
                    if x.role == Role.DEPUTY
                    and x.school_id == seat.representative_id
                    and x.user_id == seat.substitute_id
                ),
                Role.STRATEGY_REP,
            )
        else:
            hold(
                (x for x in leaders if x.role == Role.HEADTEACHER and x.school_id == seat.representative_id),
                Role.STRATEGY_REP,
            )
        if seat.reserve_id:
            hold(
                (x for x in leaders if x.role == Role.HEADTEACHER and x.school_id == seat.reserve_id),
                Role.STRATEGY_RESERVE,
            )
    intervals: list[Interval] = []
    for (user_id, role), spans in periods.items():  # periods that touch or overlap become one
        merged: list[list[datetime.date]] = []
        for starts, last in sorted(spans):
            if merged and starts <= merged[-1][1] + ONE_DAY:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([starts, last])
        intervals += [(user_id, role, starts, last) for starts, last in merged]
    return intervals


def _described(assignment: RoleAssignment) -> str:
    return f"{assignment.user} as {assignment.get_role_display().lower()}"


@transaction.atomic
def strategy_roles_sync(*, actor: User | None, rota: StrategyRota) -> dict[str, list[RoleAssignment]]:
    """Make the representative and reserve roles in force during the rota's term match the rota.

    Roles the rota gives are started (or, held already, run to the term's last day); any other
    representative or reserve role in force during the term ends the day before (from today, when the
    term is under way); one that would not yet have been in force by then is removed. A draft rota
    gives no roles. Returns what changed: {"started": [...], "ended": [...], "removed": [...]}.
    """
    rota = (
        StrategyRota.objects.select_related("term", "partnership")
        .prefetch_related("seats")
        .select_for_update(of=("self",))
        .get(pk=rota.pk)
    )
    today = timezone.localdate()
    term = rota.term
    if has_ended(term.ends, today):
        raise ValidationError(
            f"The {term_label(term)} ended on {date_label(term.ends)}: its roles can no longer change"
        )
    first = max(term.starts, today)
    wanted = _holders(rota, first) if rota.is_confirmed else []
    existing = list(
        RoleAssignment.objects.select_for_update()
        .filter(in_force_between_q(first, term.ends), partnership=rota.partnership, role__in=ROTA_ROLES)
        .select_related("user")
        .order_by("start", "pk")
    )
    changes: dict[str, list[RoleAssignment]] = {"started": [], "ended": [], "removed": []}
    for assignment in existing:
        # The same person in the same role from the same day (or, for a role begun before, from `first`).
        match = next(
            (
                w
                for w in wanted
                if w[:2] == (assignment.user_id, assignment.role) and max(assignment.start, first) == w[2]
            ),
            None,
        )
        if match is not None:
            wanted.remove(match)
            if assignment.end != match[3]:
                assignment.end = match[3]
                assignment.save(update_fields=["end"])
                changes["started"].append(assignment)
        elif assignment.start < first:
            assignment.end = first - ONE_DAY
            assignment.save(update_fields=["end"])
            changes["ended"].append(assignment)
        else:
            changes["removed"].append(assignment)
    removed_details = [
        {"role_assignment": a.pk, "user": a.user_id, "role": a.role, "start": a.start.isoformat()}
        for a in changes["removed"]
    ]
    RoleAssignment.objects.filter(pk__in=[a.pk for a in changes["removed"]]).delete()
    for user_id, role, starts, last in wanted:
        changes["started"].append(
            RoleAssignment.objects.create(
                user_id=user_id,
                partnership=rota.partnership,
                role=role,
                start=starts,
                end=last,
                created_by=actor,
            )
        )
    if any(changes.values()):
        started = RoleAssignment.objects.filter(pk__in=[a.pk for a in changes["started"]]).select_related("user")
        # What ends comes first: the summary is cut at 300 characters, and the data keeps everything.
        parts = [f"{_described(a)} ended on {date_label(a.end)}" for a in changes["ended"]]
        parts += [f"{_described(a)} withdrawn" for a in changes["removed"]]
        parts += [f"{_described(a)} from {date_label(a.start)} to {date_label(a.end)}" for a in started]
        audit_record(
            subject=rota,
            actor=actor,
            partnership=rota.partnership,
            action=AuditAction.ROTA_ROLES_SET,
            summary=f"Strategy group roles for the {term_label(term)} set from its rota: " + "; ".join(parts),
            data={
                "rota": rota.pk,
                "term": term.pk,
                "started": [[a.pk, a.user_id, a.role, a.start.isoformat(), a.end.isoformat()] for a in started],
                "ended": [[a.pk, a.user_id, a.role, a.end.isoformat()] for a in changes["ended"]],
                "removed": removed_details,
            },
        )
    return changes


@transaction.atomic
def strategy_roles_follow_leaders(*, actor: User | None, partnership: Partnership, school: School) -> int:
    """After a school's headteacher or deputy role starts or ends: every confirmed rota of a term not yet
    over on which the school has a seat hands its roles to whoever then leads the school. Returns how
    many rotas were looked at. Called by role_start and role_end, which may run outside any scope (an
    invitation accepted); every query here names the partnership."""
    today = timezone.localdate()
    with scopes_disabled():
        rotas = list(
            StrategyRota.objects.filter(
                Q(seats__representative=school) | Q(seats__reserve=school),
                partnership=partnership,
                confirmed_at__isnull=False,
                term__ends__gte=today,
            ).distinct()
        )
        for rota in rotas:
            strategy_roles_sync(actor=actor, rota=rota)
    return len(rotas)
