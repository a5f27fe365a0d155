def tenant(request):
    tenant = getattr(request, "tenant", None)
    return {
        "partnership": getattr(request, "partnership", None),
        "tenant_perms": tenant.perms if tenant else frozenset(),
        "tenant_roles": tenant.roles if tenant else [],
    }
