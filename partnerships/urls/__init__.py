"""Every page of a partnership, under /p/<slug:partnership_slug>/, and the invitation link.

One module per part, each its own URL namespace; TenantMiddleware guards every URL that has the
partnership's slug. The invitation link is opened before its reader has a role, so it has none; the
public check of an agreement's identifier is for anyone, signed in or not, so it has none either.
Each part is mounted here with the whole prefix (not nested under an include of "p/<slug>/"):
Django shares one converters dict between equal route strings, and a nested "" include would
lend the slug to other apps' "" includes.
"""

from django.urls import include, path

TENANT = "p/<slug:partnership_slug>/"

urlpatterns = [
    path("", include("partnerships.urls.invitations")),
    path("agreements/verify/", include("partnerships.urls.verification")),
    path(TENANT, include("partnerships.urls.people")),
    path(TENANT + "members/", include("partnerships.urls.members")),
    path(TENANT + "membership/", include("partnerships.urls.membership")),
    path(TENANT + "constitution/", include("partnerships.urls.constitution")),
    path(TENANT + "governance/", include("partnerships.urls.governance")),
    path(TENANT + "groups/", include("partnerships.urls.groups")),
    path(TENANT + "development/", include("partnerships.urls.development")),
    path(TENANT + "interests/", include("partnerships.urls.interests")),
    path(TENANT + "agreement/", include("partnerships.urls.agreements")),
]
