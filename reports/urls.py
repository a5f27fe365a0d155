from django.urls import path  # noqa: F401

app_name = "reports"

# Mounted under /p/<slug:partnership_slug>/reports/ (config/urls.py).
urlpatterns: list = []
