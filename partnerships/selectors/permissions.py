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
from partnerships.models import Constitution, Partnership, RoleAssignment
from partnerships.models.constitution import InformationCategory, SharedWith
from partnerships.roles import permissions_for, school_permissions_for
from partnerships.selectors.constitution import constitution_of
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


def acting_school_ids(tenant) -> set[int]:
    """The schools the signed-in user acts for in this partnership today (headteacher, deputy, the
    banker's finance officer: whoever holds `act_for_school`), from the request's roles: no query."""
    ids = {r.school_id for r in tenant.roles if r.school_id}
    return {pk for pk in ids if "act_for_school" in tenant.school_perms(pk)}


def holds_role(
    user: User, partnership_id: int, role: str, school_id: int | None = None, *, on: datetime.date | None = None
) -> bool:
    """Whether `user` holds `role` in the partnership on a day (today by default), for `school_id` when
    the role is held for a school: who signs a block, who confirms a review, who agrees an agenda."""
    with scopes_disabled():
        return (
            RoleAssignment.objects.filter(user=user, partnership_id=partnership_id, role=role, school_id=school_id)
            .active(on)
            .exists()
        )


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


# A member school's private records: who sees its people, contact details, census, budget and contribution.


class SchoolPrivacy:
    """Who may see each category (InformationCategory) of one member school's private records: the one rule.

    A school's private records are seen by the school's own people (a role held for that school gives
    `view_school_private`), its assigned adviser (the same), the coordinator (`view_school_records`),
    and, for figures (census, budget, contribution), the banker school's finance officer
    (`keep_partnership_funds` held for the constitution's banker school): contributions are worked out
    from them. Anyone else sees them only where the constitution's information sharing switches that
    category on for them (every member school's headteachers, or everyone in the partnership). Everyone
    sees a school's name, phase, address and its headteacher's name and work email.

    Built once per page from the roles the request has already loaded (request.tenant, or a
    TenantContext made for a task or report) and the constitution, so it answers for any number of
    schools without another query. Later features ask it too: a school's contribution is
    `sees(school, InformationCategory.CONTRIBUTION)`.
    """

    FIGURES = frozenset({InformationCategory.CENSUS, InformationCategory.BUDGET, InformationCategory.CONTRIBUTION})

    def __init__(self, tenant, constitution: Constitution):
        self.tenant = tenant
        self.constitution = constitution

    def _sees_every_school(self, category: str) -> bool:
        if self.tenant.has("view_school_records"):
            return True
        banker_id = self.constitution.banker_school_id
        if (
            category in self.FIGURES
            and banker_id is not None
            and self.tenant.has_for_school("keep_partnership_funds", banker_id)
        ):
            return True
        shared = self.constitution.shared_with(category)
        return shared == SharedWith.PARTNERSHIP or (
            shared == SharedWith.HEADTEACHERS and self.tenant.has("view_shared_with_headteachers")
        )

    def sees(self, school, category: str) -> bool:
        """Whether the viewer may see `category` of `school` (a School or its pk)."""
        return self._sees_every_school(category) or self.tenant.has_for_school("view_school_private", school)

    def school_ids(self, category: str) -> frozenset[int] | None:
        """The schools whose `category` the viewer may see, for filtering a list: None means every school."""
        if self._sees_every_school(category):
            return None
        return frozenset(
            role.school_id
            for role in self.tenant.roles
            if role.school_id is not None and self.tenant.has_for_school("view_school_private", role.school_id)
        )

    def shared_with(self, category: str) -> str:
        """The constitution's switch for `category`, for pages that say what is shared."""
        return self.constitution.shared_with(category)


def school_privacy(tenant) -> SchoolPrivacy:
    """The privacy rule for `tenant` (request.tenant, or partnerships.tenancy.TenantContext(user,
    partnership) outside a request): one query, for the constitution."""
    return SchoolPrivacy(tenant, constitution_of(tenant.partnership))


def can_see_school_private(tenant, school, category: str) -> bool:
    """Whether `tenant`'s user may see `category` of `school`'s private records: see SchoolPrivacy."""
    return school_privacy(tenant).sees(school, category)
