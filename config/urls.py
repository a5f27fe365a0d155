from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from django.views.generic import TemplateView

from config.health import healthz
from partnerships.views import HomeView

# The admin is for superusers only, and signs in through allauth (same rate limits and two-factor).
_allauth_admin_login = secure_admin_login(admin.site.login)


def _admin_login(request, *args, **kwargs):
    if request.user.is_authenticated and not request.user.is_superuser:
        raise PermissionDenied
    return _allauth_admin_login(request, *args, **kwargs)


admin.site.login = _admin_login
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "Commonroom administration"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("", include("partnerships.urls")),
    # Later apps mount their tenant pages here, with the same whole prefix (see partnerships/urls).
    path("p/<slug:partnership_slug>/meetings/", include("meetings.urls")),
    path("p/<slug:partnership_slug>/finance/", include("finance.urls")),
    path("p/<slug:partnership_slug>/subscriptions/", include("subscriptions.urls")),
    path("p/<slug:partnership_slug>/reports/", include("reports.urls")),
    path("api/v1/", include("reports.api.urls")),  # the read API: a bearer token, not a session
    path("admin/", admin.site.urls),
]
