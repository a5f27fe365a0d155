"""Resolving the tenant: one place decides who may enter /p/<slug>/ and activates the scope.

Like pretix's control middleware, the partnership is loaded only through the user's own active
roles, so a slug the user has no role in is indistinguishable from one that does not exist (404).
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import (
    ALL_PARTNERSHIP_PERMISSIONS,
    ALL_SCHOOL_PERMISSIONS,
    Role,
    permissions_for,
    school_permissions_for,
)

TENANT_KWARG = "partnership_slug"


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.partnership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.namespace == "admin" or (match.app_names and "admin" in match.app_names):
            # The Django admin is for superusers only, across tenants by design.
            with scopes_disabled():
                return self.get_response(request)
        slug = match.kwargs.get(TENANT_KWARG)
        if slug is None:
            return self.get_response(request)
        if getattr(match.func, "tenant_by_bearer_token", False):
            # The read API (reports.api): its token, not a session, names the person; its own check
            # resolves the partnership through their roles in the same way and activates the scope.
            return self.get_response(request)
        if getattr(getattr(match.func, "view_class", None), "token_access", False):
            return self._by_token(request, slug)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        partnership = _partnership_for(request.user, slug)
        if partnership is None:
            raise Http404("No such partnership")
        request.partnership = partnership
        request.tenant = TenantContext(request.user, partnership)
        if request.tenant.must_set_up_mfa:
            messages.warning(
                request,
                f"{partnership.name} requires coordinators to use two-factor authentication. "
                "Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        with scope(partnership=partnership):
            return self.get_response(request)

    def _by_token(self, request, slug: str):
        """A page whose secret token in the URL is the capability (a calendar feed that a calendar
        program fetches without signing in): the partnership is found by its slug alone and its scope
        activated, and the view must find the token through the partnership's scoped queryset, so a
        token of another partnership is a 404, and check that its holder still has a role here."""
        with scopes_disabled():
            partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            raise Http404("No such partnership")
        request.partnership = partnership
        request.tenant = None
        with scope(partnership=partnership):
            return self.get_response(request)


def _partnership_for(user, slug: str) -> Partnership | None:
    with scopes_disabled():
        active = RoleAssignment.objects.filter(user=user, partnership__slug=slug).active()
        return Partnership.objects.filter(slug=slug, pk__in=active.values("partnership_id")).first()


class TenantContext:
    """What the signed-in user is in the current partnership today: their roles and permissions.

    Permissions are worked out from the roles in force on this request (partnerships.roles holds the
    map), so a role no longer in force grants nothing, with nothing to run in between.

    - `has(perm)`: on the partnership, e.g. `request.tenant.has("manage_members")`.
    - `has_for_school(perm, school)`: on one school, from the roles held for that school in this
      partnership only, e.g. `request.tenant.has_for_school("govern_school", school)`.
    Explicit grants on one record to a named person are separate: partnerships.selectors.permissions.has_object_grant.
    """

    def __init__(self, user, partnership: Partnership):
        self.user = user
        self.partnership = partnership

    @cached_property
    def roles(self) -> list[RoleAssignment]:
        with scopes_disabled():
            return list(
                RoleAssignment.objects.filter(user=self.user, partnership=self.partnership)
                .active()
                .select_related("school")
            )

    @cached_property
    def perms(self) -> frozenset[str]:
        """The partnership permissions of every role in force; templates get them as `tenant_perms`."""
        return permissions_for(self.roles)

    def has(self, perm: str) -> bool:
        if perm not in ALL_PARTNERSHIP_PERMISSIONS:
            raise ValueError(f"No role gives {perm!r}: see PARTNERSHIP_PERMISSIONS in partnerships/roles.py")
        return perm in self.perms

    def school_perms(self, school) -> frozenset[str]:
        """The permissions on `school` (a School or its pk) from roles held for it in this partnership."""
        return school_permissions_for(self.roles, getattr(school, "pk", school))

    def has_for_school(self, perm: str, school) -> bool:
        if perm not in ALL_SCHOOL_PERMISSIONS:
            raise ValueError(f"No role gives {perm!r} on a school: see SCHOOL_PERMISSIONS in partnerships/roles.py")
        return perm in self.school_perms(school)

    @property
    def must_set_up_mfa(self) -> bool:
        if not self.partnership.require_mfa_for_coordinators:
            return False
        if not any(r.role == Role.COORDINATOR for r in self.roles):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).exists()
