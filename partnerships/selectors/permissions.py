"""What a person may do: their permissions from the roles in force on a day, and explicit grants.

Inside a request use request.tenant (partnerships.tenancy.TenantContext), which gives the same
answers from the roles it has already loaded; these are for services, tasks and reports.
"""

import datetime

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django_scopes import scopes_disabled
from guardian.models import UserObjectPermission

from accounts.models import User
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import permissions_for, school_permissions_for
from schools.models import School


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


# Explicit grants (partnerships.services.grants): what no role implies, one object, one named person.


def grant_permission(obj, perm: str) -> Permission | None:
    """The Permission `perm` names on `obj`'s model ("codename" or "app_label.codename"), or None."""
    content_type = ContentType.objects.get_for_model(obj)
    app_label, _, codename = perm.rpartition(".")
    if app_label and app_label != content_type.app_label:
        return None
    return Permission.objects.filter(content_type=content_type, codename=codename).first()


def object_in_partnerships(obj, partnership_ids) -> bool:
    """Whether `obj` is one of the partnerships' own records, found through its model's scoped manager.

    The partnership itself and the shared school register are not tenant records: roles cover them.
    """
    manager = type(obj)._default_manager
    if not hasattr(manager, "with_scope") or obj.pk is None:
        return False
    return manager.with_scope(partnership=list(partnership_ids)).filter(pk=obj.pk).exists()


def has_object_grant(user: User, perm: str, obj) -> bool:
    """Whether `user` has been granted `perm` on `obj` by name, and may use it today.

    A grant counts only while the person holds a role in force in the partnership the object belongs
    to, so like every other permission it lapses with the person's roles without anything being run.
    Roles' own permissions are never grants: check those with TenantContext.has / has_for_school.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    permission = grant_permission(obj, perm)
    if permission is None:
        raise ValueError(f"{perm!r} is not a permission on {obj._meta.label}")
    granted = UserObjectPermission.objects.filter(
        user=user, permission=permission, content_type=permission.content_type, object_pk=str(obj.pk)
    ).exists()
    if not granted:
        return False
    with scopes_disabled():
        partnership_ids = list(
            RoleAssignment.objects.filter(user=user).active().values_list("partnership_id", flat=True).distinct()
        )
    return bool(partnership_ids) and object_in_partnerships(obj, partnership_ids)
