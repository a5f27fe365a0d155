from django.urls import path  # noqa: F401

app_name = "development"

# Mounted under /p/<slug:partnership_slug>/development/ by config/urls.py; TenantMiddleware guards them all.
urlpatterns: list = []
