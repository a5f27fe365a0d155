from django.urls import path  # noqa: F401

app_name = "interests"

# Mounted under /p/<slug:partnership_slug>/interests/ by config/urls.py; TenantMiddleware guards them all.
urlpatterns: list = []
