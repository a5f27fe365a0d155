def tenant(request):
    tenant = getattr(request, "tenant", None)
    return {
        # Pages opened by a secret link (no tenant context) show no partnership menu: their reader may
        # not be signed in, and the menu is for members.
        "partnership": getattr(request, "partnership", None) if tenant else None,
        "tenant_perms": tenant.perms if tenant else frozenset(),
        "tenant_roles": tenant.roles if tenant else [],
    }
