"""Every change to roles and partnership settings goes through here: validated, atomic, audited."""

import datetime

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from guardian.models import UserObjectPermission

from accounts.audit import audit_record
from core.dates import date_label
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import PARTNERSHIP_PERMISSIONS, SCHOOL_PERMISSIONS, SCHOOL_ROLES, Role
from schools.models import School


def role_validate(
    *,
    partnership: Partnership,
    role: str,
    school: School | None,
    start: datetime.date,
    end: datetime.date | None = None,
) -> None:
    """The rules every new role (and every invitation to one) must meet. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = "Choose a role from the list"
    elif role in SCHOOL_ROLES and school is None:
        errors["school"] = f"Choose the school this {Role(role).label.lower()} is for"
    elif role not in SCHOOL_ROLES and school is not None:
        errors["school"] = f"A {Role(role).label.lower()} is not held for a school: leave the school empty"
    elif school is not None:
        with scopes_disabled():
            is_member = (
                Membership.objects.filter(partnership=partnership, school=school).current(start).exists()
            )
        if not is_member:
            errors["school"] = f"{school.name} is not a member of {partnership.name} on {date_label(start)}"
    if end is not None and end < start:
        errors["end"] = "The end date must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def role_start(
    *,
    actor,
    user,
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
        assignment = RoleAssignment.objects.create(
            user=user,
            partnership=partnership,
            role=role,
            school=school,
            start=start,
            end=end,
            created_by=actor,
        )
    sync_user_permissions(user)
    audit_record(
        actor=actor,
        partnership=partnership,
        action="role.started",
        summary=f"{user} started as {assignment} on {date_label(start)}",
        data={
            "role_assignment": assignment.pk,
            "user": user.pk,
            "role": role,
            "school": getattr(school, "pk", None),
        },
    )
    return assignment


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment, end: datetime.date | None = None) -> RoleAssignment:
    end = end or timezone.localdate()
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.end is not None and assignment.end <= timezone.localdate():
        raise ValidationError({"end": f"This role already ended on {date_label(assignment.end)}"})
    if end < assignment.start:
        raise ValidationError({"end": f"The role cannot end before it started on {date_label(assignment.start)}"})
    assignment.end = end
    assignment.save(update_fields=["end"])
    sync_user_permissions(assignment.user)
    audit_record(
        actor=actor,
        partnership=assignment.partnership,
        action="role.ended",
        summary=f"{assignment.user} ends as {assignment} on {date_label(end)}",
        data={"role_assignment": assignment.pk, "user": assignment.user_id},
    )
    return assignment


def _permission_ids() -> dict[tuple[int, str], int]:
    cts = ContentType.objects.get_for_models(Partnership, School)
    return {
        (perm.content_type_id, perm.codename): perm.pk
        for perm in Permission.objects.filter(content_type__in=cts.values())
    }


@transaction.atomic
def sync_user_permissions(user, on: datetime.date | None = None) -> None:
    """Make the user's guardian object permissions exactly those their roles in force grant today.

    A school may be in several partnerships, so permissions are recomputed from every role the
    person holds rather than granted and revoked one role at a time.
    """
    cts = ContentType.objects.get_for_models(Partnership, School)
    partnership_ct, school_ct = cts[Partnership], cts[School]
    perm_ids = _permission_ids()
    wanted: set[tuple[int, int, str]] = set()
    with scopes_disabled():
        for assignment in RoleAssignment.objects.filter(user=user).active(on):
            for codename in PARTNERSHIP_PERMISSIONS[assignment.role]:
                wanted.add(
                    (
                        perm_ids[(partnership_ct.pk, codename)],
                        partnership_ct.pk,
                        str(assignment.partnership_id),
                    )
                )
            if assignment.school_id:
                for codename in SCHOOL_PERMISSIONS.get(assignment.role, ()):
                    wanted.add((perm_ids[(school_ct.pk, codename)], school_ct.pk, str(assignment.school_id)))
    existing = {
        (row.permission_id, row.content_type_id, row.object_pk): row.pk
        for row in UserObjectPermission.objects.filter(
            user=user, content_type__in=[partnership_ct, school_ct]
        )
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        UserObjectPermission.objects.filter(pk__in=stale).delete()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(user=user, permission_id=perm_id, content_type_id=ct_id, object_pk=object_pk)
            for (perm_id, ct_id, object_pk) in wanted - existing.keys()
        ]
    )


@transaction.atomic
def partnership_update_settings(
    *, actor, partnership: Partnership, require_mfa_for_coordinators: bool
) -> None:
    if partnership.require_mfa_for_coordinators == require_mfa_for_coordinators:
        return
    partnership.require_mfa_for_coordinators = require_mfa_for_coordinators
    partnership.save(update_fields=["require_mfa_for_coordinators"])
    state = "now requires" if require_mfa_for_coordinators else "no longer requires"
    audit_record(
        actor=actor,
        partnership=partnership,
        action="partnership.settings_changed",
        summary=f"{partnership.name} {state} two-factor authentication for coordinators",
        data={"require_mfa_for_coordinators": require_mfa_for_coordinators},
    )
