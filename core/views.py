"""Base views every tenant page builds on.

The tenant middleware (partnerships.tenancy) has already admitted the user to the partnership named in
the URL and put what they may do there on `request.tenant`; these classes only read it, so core knows
nothing of partnerships.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class TenantViewMixin:
    """For views under /p/<slug>/: checks one permission of the signed-in user in this partnership.

    A user with a role but without the permission gets 403: they know the partnership exists.
    A view about one object names it in `lookup(**kwargs)` (404 when it is not this partnership's);
    a method the view does not answer is then refused only after that look-up, so a 405 never
    confirms that an id exists in another partnership.
    """

    permission_required: str = "view_partnership"

    def dispatch(self, request, *args, **kwargs):
        self.partnership = getattr(request, "partnership", None)
        if self.partnership is None:  # URL wired outside /p/<slug>/ by mistake: fail closed
            raise Http404
        if not request.tenant.has(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def lookup(self, **kwargs):
        """The object the URL names, through the partnership's scoped queryset; None for list pages."""
        return None

    def http_method_not_allowed(self, request, *args, **kwargs):
        self.lookup(**kwargs)
        return super().http_method_not_allowed(request, *args, **kwargs)
