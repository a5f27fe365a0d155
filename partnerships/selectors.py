"""Reads that pages share. Each returns a queryset with its joins, so pages do not query in loops."""

import datetime

from django.db.models import Count, Q
from django_scopes import scopes_disabled

from accounts.models import Invitation, User
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import permissions_for, school_permissions_for
from schools.models import School


def partnerships_for_user(user):
    """The partnerships where the user has a role in force (crosses tenants: the user's own list)."""
    with scopes_disabled():
        active = RoleAssignment.objects.filter(user=user).active()
        return list(Partnership.objects.filter(pk__in=active.values("partnership_id")).order_by("name"))


def members_current():
    return Membership.objects.current().select_related("school").order_by("school__name")


def member_counts():
    return Membership.objects.current().aggregate(
        total=Count("pk"),
        primary=Count("pk", filter=Q(school__phase__in=["infant", "junior", "primary", "nursery"])),
        secondary=Count("pk", filter=Q(school__phase="secondary")),
    )


def roles_current():
    return (
        RoleAssignment.objects.active().select_related("user", "school").order_by("user__full_name", "role")
    )


def roles_history():
    return RoleAssignment.objects.ended().select_related("user", "school").order_by("-end", "user__full_name")


def invitations_pending():
    from django.utils import timezone

    return (
        Invitation.objects.filter(
            accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("school", "invited_by")
        .order_by("-created_at")
    )


# Permissions outside a request. Inside one, use request.tenant (partnerships.tenancy.TenantContext),
# which gives the same answers from the roles it has already loaded.


def _roles_in_force(user: User, partnership: Partnership, on: datetime.date | None, **filters) -> list[RoleAssignment]:
    with scopes_disabled():
        return list(RoleAssignment.objects.filter(user=user, partnership=partnership, **filters).active(on))


def partnership_permissions(user: User, partnership: Partnership, *, on: datetime.date | None = None) -> frozenset[str]:
    """What `user` may do in `partnership` on a day (today by default), from their roles in force then."""
    return permissions_for(_roles_in_force(user, partnership, on))


def school_permissions(
    user: User, partnership: Partnership, school: School, *, on: datetime.date | None = None
) -> frozenset[str]:
    """What `user` may do for `school` as part of `partnership` on a day (today by default).

    Only roles held for that school in that partnership count: a headteacher of a school that is a
    member of two partnerships gets nothing here for the partnership where they hold no role.
    """
    return school_permissions_for(_roles_in_force(user, partnership, on, school=school), school.pk)
