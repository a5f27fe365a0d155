"""Strategy group representative and reserve roles come only from the confirmed rota.

Until now they were started by hand, apart from the rota, so the people page could name last term's
representatives, or representatives in a partnership with no rota at all. For each confirmed rota of a
term that has not ended, its representatives and reserves get their roles, by the rule of
`partnerships.services.representatives` (a seat's substitute, else the representative school's
headteacher; the reserve school's headteacher; from the term's first day, or today during the term, to
its last day or the holder's own role's last day). A role held already by the right person continues to
that last day. Every other representative or reserve role still in force ends yesterday (today, for one
that started today); one that had not yet started is removed. Each change is written to the
partnership's audit log. Rows only: the schema change (the rota's phase reason) is in 0011, so this runs
safely on PostgreSQL. Going back leaves the roles as they are.
"""

import datetime

from django.db import migrations
from django.utils import timezone

REP, RESERVE = "strategy_rep", "strategy_reserve"


def _wanted(apps, today):
    """[(partnership id, user id, role, first day, last day)] that the confirmed rotas give, term by term."""
    StrategyRota = apps.get_model("partnerships", "StrategyRota")
    RoleAssignment = apps.get_model("partnerships", "RoleAssignment")
    wanted = []
    rotas = StrategyRota.objects.filter(confirmed_at__isnull=False, term__ends__gte=today).select_related("term")
    for rota in rotas.order_by("term__starts"):
        first = max(rota.term.starts, today)
        seats = list(rota.seats.all())
        schools = {s.representative_id for s in seats} | {s.reserve_id for s in seats if s.reserve_id}
        leaders = (
            RoleAssignment.objects.filter(
                partnership_id=rota.partnership_id, role__in=["headteacher", "deputy"], school_id__in=schools
            )
            .filter(start__lte=first)
            .exclude(end__lt=first)
            .order_by("user__full_name", "pk")
        )
        heads, deputies = {}, {}
        for leader in leaders:
            if leader.role == "headteacher":
                heads.setdefault(leader.school_id, leader)
            else:
                deputies[(leader.school_id, leader.user_id)] = leader
        holders = {}
        for seat in seats:
            if seat.substitute_id:
                pairs = [(deputies.get((seat.representative_id, seat.substitute_id)), REP)]
            else:
                pairs = [(heads.get(seat.representative_id), REP)]
            if seat.reserve_id:
                pairs.append((heads.get(seat.reserve_id), RESERVE))
            for leader, role in pairs:
                if leader is not None:
                    last = rota.term.ends if leader.end is None else min(leader.end, rota.term.ends)
                    key = (leader.user_id, role)
                    holders[key] = max(last, holders.get(key, last))
        wanted += [(rota.partnership_id, user_id, role, first, last) for (user_id, role), last in holders.items()]
    return wanted


def roles_from_confirmed_rotas(apps, schema_editor):
    RoleAssignment = apps.get_model("partnerships", "RoleAssignment")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    wanted = _wanted(apps, today)

    def audit(partnership_id, action, summary, **data):
        AuditEvent.objects.create(
            partnership_id=partnership_id, actor=None, action=action, summary=summary[:300], data=data
        )

    def label(role):
        return "strategy group " + ("representative" if role.role == REP else "reserve")

    held = RoleAssignment.objects.filter(role__in=[REP, RESERVE]).exclude(end__lt=today).select_related("user")
    for role in held.order_by("start", "pk"):
        who = role.user.full_name or role.user.email
        match = next(
            (w for w in wanted if w[:3] == (role.partnership_id, role.user_id, role.role) and role.start <= w[3]),
            None,
        )
        if match is not None:
            wanted.remove(match)
            if role.end != match[4]:
                role.end = match[4]
                role.save(update_fields=["end"])
                audit(
                    role.partnership_id,
                    "rota.roles_set",
                    f"{who} as {label(role)} continues to {role.end:%-d %B %Y}, as the confirmed rota says",
                    role_assignment=role.pk,
                    user=role.user_id,
                    role=role.role,
                    end=role.end.isoformat(),
                )
        elif role.start <= today:
            role.end = max(yesterday, role.start)
            role.save(update_fields=["end"])
            audit(
                role.partnership_id,
                "role.ended",
                f"{who}'s last day as {label(role)} is {role.end:%-d %B %Y}: no confirmed rota gives the role",
                role_assignment=role.pk,
                user=role.user_id,
                role=role.role,
                end=role.end.isoformat(),
            )
        else:
            audit(
                role.partnership_id,
                "role.removed_never_in_force",
                f"{who} as {label(role)} from {role.start:%-d %B %Y} removed before it began: "
                "no confirmed rota gives the role",
                role_assignment=role.pk,
                user=role.user_id,
                role=role.role,
                start=role.start.isoformat(),
            )
            role.delete()
    for partnership_id, user_id, role, first, last in wanted:
        created = RoleAssignment.objects.create(
            partnership_id=partnership_id, user_id=user_id, role=role, start=first, end=last
        )
        audit(
            partnership_id,
            "rota.roles_set",
            f"{created.user.full_name or created.user.email} as {label(created)} from {first:%-d %B %Y} "
            f"to {last:%-d %B %Y}, as the confirmed rota says",
            role_assignment=created.pk,
            user=user_id,
            role=role,
            start=first.isoformat(),
            end=last.isoformat(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0011_rota_phase_reason"),
        ("accounts", "0005_audit_action_rota_roles_set"),
    ]

    operations = [
        migrations.RunPython(roles_from_confirmed_rotas, migrations.RunPython.noop),
    ]
