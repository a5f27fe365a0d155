"""Explicit grants: one permission on one of the partnership's records, given to a named person.

This is all django-guardian holds: what no role implies (a confidential paper, a note of visit shared
with named staff, a report shared with a local-authority officer). What roles give is worked out from
the roles themselves (partnerships.roles) and is never stored. Check a grant with
partnerships.selectors.permissions.has_object_grant.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django_scopes import scopes_disabled
from guardian.models import UserObjectPermission

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.models import Partnership, RoleAssignment
from partnerships.selectors.permissions import grant_permission, object_in_partnerships


def _check_object(*, partnership: Partnership, perm: str, obj: Model):
    permission = grant_permission(obj, perm)
    if permission is None:
        raise ValidationError({"perm": f"{perm!r} is not a permission on {obj._meta.verbose_name}"})
    # A grant names its partnership through the record, so it can never say anything in another one.
    if not object_in_partnerships(obj, [partnership.pk]):
        raise ValidationError({"obj": f"This {obj._meta.verbose_name} is not one of {partnership.name}'s records"})
    return permission


def _data(*, user: User, permission, obj: Model) -> dict:
    return {
        "user": user.pk,
        "perm": f"{permission.content_type.app_label}.{permission.codename}",
        "object": obj._meta.label,
        "object_pk": str(obj.pk),
    }


@transaction.atomic
def object_grant(*, actor: User, partnership: Partnership, user: User, perm: str, obj: Model) -> None:
    """Give `user` the permission `perm` on `obj`, one of `partnership`'s records. Granting again changes nothing."""
    permission = _check_object(partnership=partnership, perm=perm, obj=obj)
    with scopes_disabled():
        has_role = RoleAssignment.objects.filter(user=user, partnership=partnership).active().exists()
    if not has_role:
        raise ValidationError({"user": f"{user} holds no role in {partnership.name}"})
    _, created = UserObjectPermission.objects.get_or_create(
        user=user, permission=permission, content_type=permission.content_type, object_pk=str(obj.pk)
    )
    if not created:
        return
    audit_record(
        subject=obj,
        actor=actor,
        partnership=partnership,
        action=AuditAction.GRANT_GIVEN,
        summary=f"{user} may now {permission.name.removeprefix('Can ').lower()}: {obj}",
        data=_data(user=user, permission=permission, obj=obj),
    )


@transaction.atomic
def object_withdraw(*, actor: User, partnership: Partnership, user: User, perm: str, obj: Model) -> None:
    """Take back a grant. Works after the person's roles have ended; withdrawing twice changes nothing."""
    permission = _check_object(partnership=partnership, perm=perm, obj=obj)
    deleted, _ = UserObjectPermission.objects.filter(
        user=user, permission=permission, content_type=permission.content_type, object_pk=str(obj.pk)
    ).delete()
    if not deleted:
        return
    audit_record(
        subject=obj,
        actor=actor,
        partnership=partnership,
        action=AuditAction.GRANT_WITHDRAWN,
        summary=f"{user} may no longer {permission.name.removeprefix('Can ').lower()}: {obj}",
        data=_data(user=user, permission=permission, obj=obj),
    )
