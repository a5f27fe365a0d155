from django.urls import path  # noqa: F401

app_name = "membership"

# Mounted under /p/<slug:partnership_slug>/membership/ by config/urls.py; TenantMiddleware guards them all.
urlpatterns: list = []
