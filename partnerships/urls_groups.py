from django.urls import path  # noqa: F401

app_name = "groups"

# Mounted under /p/<slug:partnership_slug>/groups/ by config/urls.py; TenantMiddleware guards them all.
urlpatterns: list = []
