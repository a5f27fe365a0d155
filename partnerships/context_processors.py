def tenant(request):
    tenant = getattr(request, "tenant", None)
    return {
        # Pages opened by a secret link (no tenant context) show no partnership menu: their reader may
        # not be signed in, and the menu is for members.
        "partnership": getattr(request, "partnership", None) if tenant else None,
        "tenant_perms": tenant.perms if tenant else frozenset(),
        "tenant_roles": tenant.roles if tenant else [],
        # What the person may do for any of their schools (a governor reads its reports): from the roles.
        "tenant_school_perms": (
            frozenset().union(*(tenant.school_perms(r.school_id) for r in tenant.roles if r.school_id))
            if tenant
            else frozenset()
        ),
    }
