"""The public check of a signed agreement by the identifier printed in its footer: no partnership in the
URL, no sign-in (mounted at /agreements/verify/ by partnerships/urls/__init__.py)."""

from django.urls import path

from partnerships.views import verification as views

app_name = "verify_public"

urlpatterns = [
    path("", views.PublicLookupView.as_view(), name="lookup"),
    path("<str:identifier>/", views.PublicCopyView.as_view(), name="copy"),
]
