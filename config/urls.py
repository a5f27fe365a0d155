from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config.health import healthz
from partnerships.views import HomeView

# The admin signs in through allauth, with the same rate limits and two-factor checks.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Commonroom administration"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("p/<slug:partnership_slug>/", include("partnerships.urls")),
    path("admin/", admin.site.urls),
]
