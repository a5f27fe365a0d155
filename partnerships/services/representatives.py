"""The strategy group's representative and reserve roles, which only the confirmed rota gives.

The rota is the one record of who represents the schools on the strategy group: confirming it, or
changing a seat of a confirmed rota, calls `strategy_roles_sync`, and nothing else starts these roles
(`role_start` refuses them), so the people page always shows what the rota says and a partnership
without a rota has no representatives.

Who holds a seat's role: the seat's substitute when one is named, since that deputy attends in the
headteacher's place and so is the one the group sends its papers to; otherwise the headteacher of the
representative's school. A reserve's role goes to the headteacher of the reserve's school.

The roles run over the rota's term, from its first day (or today, when the rota is confirmed or changed
during the term) to its last day, inclusive, or to the last day of the holder's own headteacher or
deputy role if that comes first. They are set when the rota is confirmed or a seat is changed: a
headteacher who starts later in the term does not take the role over by themselves; saving the seat on
the strategy group page hands it to whoever then leads the school.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import ONE_DAY, date_label, has_ended, in_force_between_q
from partnerships.models import RoleAssignment, StrategyRota
from partnerships.roles import ROTA_ROLES, Role
from partnerships.selectors.terms import term_label


def _holders(rota: StrategyRota, first: datetime.date) -> dict[tuple[int, str], datetime.date]:
    """{(user id, role): last day} that the rota gives from `first` to the end of its term."""
    seats = list(rota.seats.all())
    schools = {s.representative_id for s in seats} | {s.reserve_id for s in seats if s.reserve_id}
    leaders = list(
        RoleAssignment.objects.filter(
            partnership_id=rota.partnership_id, role__in=[Role.HEADTEACHER, Role.DEPUTY], school_id__in=schools
        )
        .active(first)
        .order_by("user__full_name", "pk")
    )
    heads: dict[int, RoleAssignment] = {}
    deputies: dict[tuple[int, int], RoleAssignment] = {}
    for leader in leaders:
        if leader.role == Role.HEADTEACHER:
            heads.setdefault(leader.school_id, leader)  # the first by name, as the strategy group page shows
        else:
            deputies[(leader.school_id, leader.user_id)] = leader
    wanted: list[tuple[RoleAssignment | None, str]] = []
    for seat in seats:
        if seat.substitute_id:
            wanted.append((deputies.get((seat.representative_id, seat.substitute_id)), Role.STRATEGY_REP))
        else:
            wanted.append((heads.get(seat.representative_id), Role.STRATEGY_REP))
        if seat.reserve_id:
            wanted.append((heads.get(seat.reserve_id), Role.STRATEGY_RESERVE))
    holders: dict[tuple[int, str], datetime.date] = {}
    for leader, role in wanted:
        if leader is None:  # no headteacher (or deputy) in force: the seat has nobody to hold it yet
            continue
        last = rota.term.ends if leader.end is None else min(leader.end, rota.term.ends)
        key = (leader.user_id, role)
        holders[key] = max(last, holders.get(key, last))
    return holders


def _described(assignment: RoleAssignment) -> str:
    return f"{assignment.user} as {assignment.get_role_display().lower()}"


@transaction.atomic
def strategy_roles_sync(*, actor: User, rota: StrategyRota) -> dict[str, list[RoleAssignment]]:
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
    wanted = _holders(rota, first) if rota.is_confirmed else {}
    existing = list(
        RoleAssignment.objects.select_for_update()
        .filter(in_force_between_q(first, term.ends), partnership=rota.partnership, role__in=ROTA_ROLES)
        .select_related("user")
        .order_by("start", "pk")
    )
    changes: dict[str, list[RoleAssignment]] = {"started": [], "ended": [], "removed": []}
    kept: set[tuple[int, str]] = set()
    for assignment in existing:
        key = (assignment.user_id, assignment.role)
        if key in wanted and key not in kept and assignment.start <= first:
            kept.add(key)
            if assignment.end != wanted[key]:
                assignment.end = wanted[key]
                assignment.save(update_fields=["end"])
                changes["started"].append(assignment)
        elif assignment.start < first:
            assignment.end = first - ONE_DAY
            assignment.save(update_fields=["end"])
            changes["ended"].append(assignment)
        else:
            changes["removed"].append(assignment)
    removed_ids = [a.pk for a in changes["removed"]]
    removed_details = [
        {"role_assignment": a.pk, "user": a.user_id, "role": a.role, "start": a.start.isoformat()}
        for a in changes["removed"]
    ]
    RoleAssignment.objects.filter(pk__in=removed_ids).delete()
    for (user_id, role), last in wanted.items():
        if (user_id, role) not in kept:
            changes["started"].append(
                RoleAssignment.objects.create(
                    user_id=user_id,
                    partnership=rota.partnership,
                    role=role,
                    start=first,
                    end=last,
                    created_by=actor,
                )
            )
    if any(changes.values()):
        started = RoleAssignment.objects.filter(pk__in=[a.pk for a in changes["started"]]).select_related("user")
        # What ends comes first: the summary is cut at 300 characters, and the data keeps everything.
        parts = [f"{_described(a)} ended on {date_label(a.end)}" for a in changes["ended"]]
        parts += [f"{_described(a)} withdrawn" for a in changes["removed"]]
        parts += [f"{_described(a)} until {date_label(a.end)}" for a in started]
        audit_record(
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
