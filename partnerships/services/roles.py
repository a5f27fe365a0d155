"""Every change to roles and partnership settings goes through here: validated, atomic, audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label, has_ended
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import ROTA_ROLES, ROTA_ROLES_REFUSAL, SCHOOL_ROLES, Role
from partnerships.selectors.constitution import constitution_of
from partnerships.services.representatives import strategy_roles_follow_leaders
from schools.models import School

# The roles whose holders hold a school's strategy group roles (partnerships.services.representatives).
SCHOOL_LEADERS = frozenset({Role.HEADTEACHER, Role.DEPUTY})


def role_validate(
    *,
    partnership: Partnership,
    role: str,
    school: School | None,
    start: datetime.date,
    end: datetime.date | None = None,
) -> None:
    """The rules every new role (and every invitation to one) must meet. Raises ValidationError by field.

    Strategy group representatives and reserves are refused: only the confirmed rota gives those roles
    (partnerships.services.representatives).
    """
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = "Choose a role from the list"
    elif role in ROTA_ROLES:
        errors["role"] = f"{ROTA_ROLES_REFUSAL}: choose another role, or change the rota on the strategy group page"
    elif role in SCHOOL_ROLES and school is None:
        errors["school"] = f"Choose the school this {Role(role).label.lower()} is for"
    elif role not in SCHOOL_ROLES and school is not None:
        errors["school"] = f"A {Role(role).label.lower()} is not held for a school: leave the school empty"
    elif school is not None:
        with scopes_disabled():
            is_member = Membership.objects.filter(partnership=partnership, school=school).current(start).exists()
        if not is_member:
            errors["school"] = f"{school.name} is not a member of {partnership.name} on {date_label(start)}"
    if end is not None and end < start:
        errors["end"] = "The last day must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)


def _adviser_limit_check(*, user: User, partnership: Partnership, start: datetime.date) -> None:
    """The constitution's limit on the schools one adviser advises (Kent's PEP: up to 10), counted on the
    day the new role starts."""
    most = constitution_of(partnership).adviser_max_schools
    if most is None:
        return
    held = (
        RoleAssignment.objects.filter(user=user, partnership=partnership, role=Role.ADVISER)
        .active(start)
        .values("school")
        .distinct()
        .count()
    )
    if held >= most:
        raise ValidationError(
            {
                "school": f"{user} already advises {held} schools, the most one adviser may advise in "
                f"{partnership.name} (its constitution says up to {most})"
            }
        )


@transaction.atomic
def role_start(
    *,
    actor: User | None,
    user: User,
    partnership: Partnership,
    role: str,
    school: School | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> RoleAssignment:
    start = start or timezone.localdate()
    role_validate(partnership=partnership, role=role, school=school, start=start, end=end)
    with scopes_disabled():
        overlapping = RoleAssignment.objects.filter(
            user=user, partnership=partnership, role=role, school=school
        ).active(start)
        if overlapping.exists():
            raise ValidationError(
                {
                    "email": f"{user} is already {Role(role).label.lower()}"
                    + (f" for {school.name}" if school else "")
                    + f" in {partnership.name}"
                }
            )
        if role == Role.ADVISER:
            _adviser_limit_check(user=user, partnership=partnership, start=start)
        assignment = RoleAssignment.objects.create(
            user=user,
            partnership=partnership,
            role=role,
            school=school,
            start=start,
            end=end,
            created_by=actor,
        )
    audit_record(
        subject=assignment,
        actor=actor,
        partnership=partnership,
        action=AuditAction.ROLE_STARTED,
        summary=f"{user} started as {assignment} on {date_label(start)}",
        data={
            "role_assignment": assignment.pk,
            "user": user.pk,
            "role": role,
            "school": getattr(school, "pk", None),
        },
    )
    if role in SCHOOL_LEADERS:  # a new head (or substituting deputy) takes over the school's strategy roles
        strategy_roles_follow_leaders(actor=actor, partnership=partnership, school=school)
    return assignment


@transaction.atomic
def role_end(*, actor: User | None, assignment: RoleAssignment, end: datetime.date | None = None) -> RoleAssignment:
    """End a role: `end` is its last day in force (today if not given)."""
    end = end or timezone.localdate()
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.role in ROTA_ROLES:
        raise ValidationError({"end": f"{ROTA_ROLES_REFUSAL}: change the seat on the strategy group page"})
    if has_ended(assignment.end, timezone.localdate()):
        raise ValidationError({"end": f"This role already ended: its last day was {date_label(assignment.end)}"})
    if end < assignment.start:
        raise ValidationError({"end": f"The role cannot end before it started on {date_label(assignment.start)}"})
    assignment.end = end
    assignment.save(update_fields=["end"])
    audit_record(
        subject=assignment,
        actor=actor,
        partnership=assignment.partnership,
        action=AuditAction.ROLE_ENDED,
        summary=f"{assignment.user}'s last day as {assignment} is {date_label(end)}",
        data={"role_assignment": assignment.pk, "user": assignment.user_id},
    )
    if assignment.role in SCHOOL_LEADERS:
        strategy_roles_follow_leaders(actor=actor, partnership=assignment.partnership, school=assignment.school)
    return assignment


@transaction.atomic
def partnership_update_settings(*, actor: User, partnership: Partnership, require_mfa_for_coordinators: bool) -> None:
    if partnership.require_mfa_for_coordinators == require_mfa_for_coordinators:
        return
    partnership.require_mfa_for_coordinators = require_mfa_for_coordinators
    partnership.save(update_fields=["require_mfa_for_coordinators"])
    state = "now requires" if require_mfa_for_coordinators else "no longer requires"
    audit_record(
        subject=partnership,
        actor=actor,
        partnership=partnership,
        action=AuditAction.PARTNERSHIP_SETTINGS_CHANGED,
        summary=f"{partnership.name} {state} two-factor authentication for coordinators",
        data={"require_mfa_for_coordinators": require_mfa_for_coordinators},
    )
