"""Enumerating the project's URL patterns, and filling their arguments with a tenant's objects.

When a new URL takes a new kind of argument, add one line to OBJECT_KWARGS; until then the isolation
and permission tests fail, so no URL escapes them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from partnerships.tenancy import TENANT_KWARG
from tests.security.registry import merged

# kwarg name -> how to get that kind of object's URL value from a tests.conftest.Tenant
# (one module per area in tests/security/registry/).
OBJECT_KWARGS: dict[str, Callable] = merged("OBJECT_KWARGS")
# kwarg name -> why it names no tenant's object (a month to show): a URL whose only arguments besides the
# slug are these is the partnership's own page, like a list.
PLAIN_KWARGS: dict[str, str] = merged("PLAIN_KWARGS")

# URLs outside /p/<slug>/ hold no tenant data of their own; each is listed with why it is safe.
NON_TENANT_URL_NAMES = {
    "home": "lists only the signed-in user's own partnerships",
    "healthz": "database and broker state, no data",
    "privacy": "static page",
    "accessibility": "static page",
    "invitation_accept": "the signed token is the capability; tested in tests/accounts",
    "verify_public:lookup": "a form that finds an agreement copy by the identifier printed on it; shows nothing itself",
    "api:openapi-json": "the read API's OpenAPI description: the shape of the answers, no data",
    "api:api-root": "the read API's root: answers 404, no data",
    "verify_public:copy": "what the printed copy itself tells its reader (partnership, version, school, the roles "
    "that signed and when, the sealed copy's SHA-256), never a name; tested in "
    "tests/partnerships/test_agreement_verification.py",
}
# allauth's sign-in, password and two-factor pages act only on the signed-in user's own account.
NON_TENANT_NAME_PREFIXES = ("account_", "mfa_")
NON_TENANT_NAMESPACES = {"admin"}
API_NAMESPACE = "api"  # superusers only, behind the same sign-in


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]
    # The secret token in the URL is the capability (a calendar feed): no sign-in, any holder of it.
    token_access: bool = False

    @property
    def is_tenant(self) -> bool:
        return TENANT_KWARG in self.kwargs

    @property
    def is_api(self) -> bool:
        """The read API (reports.api): a bearer token, not a session; tests/security/test_api_isolation.py."""
        return self.name.startswith(f"{API_NAMESPACE}:")


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str, kwargs: tuple[str, ...]):
        for pattern in patterns:
            converters = tuple(pattern.pattern.converters.keys()) if hasattr(pattern.pattern, "converters") else ()
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, text, ns, kwargs + converters)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                full = f"{namespace}:{name}" if namespace else name
                view_class = getattr(pattern.callback, "view_class", None)
                token_access = bool(getattr(view_class, "token_access", False))
                routes.append(Route(full, text, kwargs + converters, token_access))

    walk(get_resolver().url_patterns, "/", "", ())
    return routes


def tenant_routes() -> list[Route]:
    """The tenant pages, opened with a session; the read API's are api_routes()."""
    return [r for r in all_routes() if r.is_tenant and not r.is_api]


def api_routes() -> list[Route]:
    return [r for r in all_routes() if r.is_tenant and r.is_api]


def is_allowed_non_tenant(route: Route) -> bool:
    top_namespace = route.name.split(":")[0] if ":" in route.name else ""
    if top_namespace in NON_TENANT_NAMESPACES:
        return True
    return route.name in NON_TENANT_URL_NAMES or route.name.startswith(NON_TENANT_NAME_PREFIXES)


def fill(route: Route, *, slug_tenant, object_tenant, tamper: bool = False) -> str:
    """The URL of `route` with `slug_tenant`'s slug and `object_tenant`'s objects; with `tamper`, each
    secret token in it is altered, as someone guessing one would."""
    from django.urls import reverse
    from django_scopes import scopes_disabled

    values = {}
    for kwarg in route.kwargs:
        if kwarg == TENANT_KWARG:
            values[kwarg] = slug_tenant.slug
        elif kwarg in OBJECT_KWARGS:
            with scopes_disabled():  # the registry may make the object it names
                values[kwarg] = OBJECT_KWARGS[kwarg](object_tenant)
            if tamper and kwarg.endswith("token"):
                values[kwarg] = f"{values[kwarg]}x"
        else:
            raise AssertionError(
                f"URL {route.name} ({route.route}) takes '{kwarg}', which the isolation test cannot fill: "
                f"add it to OBJECT_KWARGS in a module of tests/security/registry/"
            )
    return reverse(route.name, kwargs=values)
