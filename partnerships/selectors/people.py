"""Reads that pages share. Each returns a queryset with its joins, so pages do not query in loops."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Invitation
from core.exports import Column, Kind, Table
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import PRIVATE_SCHOOL_ROLES, Role
from partnerships.selectors.governance import continuous_start
from schools.models import School

OFFICES = frozenset({Role.CHAIR, Role.VICE_CHAIR})


@dataclass
class RoleHeld:
    """A role in force, with the first day of the unbroken period in which its holder has held it."""

    assignment: RoleAssignment
    since: datetime.date

    @property
    def last_day(self) -> datetime.date | None:
        return self.assignment.end

    @property
    def is_office(self) -> bool:
        return self.assignment.role in OFFICES


def roles_held(partnership: Partnership, user, on: datetime.date | None = None) -> list[RoleHeld]:
    """A person's roles in force in a partnership on a day, each since the start of its unbroken
    period (`governance.continuous_start`), as "Your roles" shows them. One query."""
    on = on or timezone.localdate()
    with scopes_disabled():  # the person's own roles, in this one partnership
        mine = list(
            RoleAssignment.objects.filter(partnership=partnership, user=user).select_related("school").order_by("start")
        )
    held = [RoleHeld(r, continuous_start(r, mine)) for r in mine if r.is_active(on)]
    return sorted(held, key=lambda h: (Role.values.index(h.assignment.role), h.since))


def partnerships_for_user(user):
    """The partnerships where the user has a role in force, each with `my_roles` (their roles there, in
    force today). Crosses tenants on purpose: it is the user's own list. One query."""
    with scopes_disabled():
        roles = list(
            RoleAssignment.objects.filter(user=user)
            .active()
            .select_related("partnership", "school")
            .order_by("partnership__name", "role", "school__name")
        )
    partnerships: dict[int, Partnership] = {}
    for role in roles:
        partnership = partnerships.setdefault(role.partnership_id, role.partnership)
        partnership.__dict__.setdefault("my_roles", []).append(role)
    return list(partnerships.values())


def members_current():
    return Membership.objects.current().select_related("school").order_by("school__name")


def members_leaving():
    """Current members that have given notice, soonest first: what a dashboard shows of the membership
    (a dashboard summarises and links to the directory; it does not list every school)."""
    return members_current().filter(left__isnull=False).order_by("left", "school__name")


def member_counts():
    return Membership.objects.current().aggregate(
        total=Count("pk"),
        # What counts as primary or secondary is the register's one definition (a middle or all-through
        # school counts as both), as in the strategy group's warnings.
        primary=Count("pk", filter=Q(school__phase__in=School.PRIMARY_PHASES)),
        secondary=Count("pk", filter=Q(school__phase__in=School.SECONDARY_PHASES)),
        # Special schools and pupil referral units are members too: every phase counts.
        other=Count("pk", filter=~Q(school__phase__in=School.PRIMARY_PHASES | School.SECONDARY_PHASES)),
    )


def roles_current():
    return RoleAssignment.objects.active().select_related("user", "school").order_by("user__full_name", "role")


def roles_history():
    return RoleAssignment.objects.ended().select_related("user", "school").order_by("-end", "user__full_name")


def roles_matching(roles, search: str):
    """Roles whose person's name or email, or whose school, contains `search` (any case)."""
    search = search.strip()
    if not search:
        return roles
    return roles.filter(
        Q(user__full_name__icontains=search) | Q(user__email__icontains=search) | Q(school__name__icontains=search)
    )


def roles_shared(roles, school_ids: frozenset[int] | None):
    """`roles` without the private roles (PRIVATE_SCHOOL_ROLES) of schools outside `school_ids`, the
    schools whose people the viewer may see (SchoolPrivacy.school_ids; None: every school)."""
    if school_ids is None:
        return roles
    return roles.filter(~Q(role__in=PRIVATE_SCHOOL_ROLES) | Q(school_id__in=school_ids))


def roles_table(roles, *, title: str) -> Table:
    """The people page's roles as a download: `roles` as the page lists them (current or ended, searched,
    private roles only of the schools the viewer may see), every page of them. One query."""
    return Table(
        title=title,
        columns=[
            Column("Name"),
            Column("Email"),
            Column("Role"),
            Column("School"),
            Column("From", Kind.DATE),
            Column("Last day", Kind.DATE),
        ],
        rows=(
            (
                role.user.full_name,
                role.user.email,
                role.get_role_display(),
                role.school.name if role.school_id else None,
                role.start,
                role.end,
            )
            for role in roles.iterator(chunk_size=2000)
        ),
    )


def invitations_pending():
    from django.utils import timezone

    return (
        Invitation.objects.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("school", "invited_by")
        .order_by("-created_at")
    )
