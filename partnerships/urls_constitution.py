from django.urls import path  # noqa: F401

app_name = "constitution"

# Mounted under /p/<slug:partnership_slug>/constitution/ by config/urls.py; TenantMiddleware guards them all.
urlpatterns: list = []
