from django.urls import path  # noqa: F401

app_name = "governance"

# Mounted under /p/<slug:partnership_slug>/governance/ by config/urls.py; TenantMiddleware guards them all.
urlpatterns: list = []
