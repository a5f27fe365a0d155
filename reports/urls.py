from django.urls import path

from reports import views

app_name = "reports"

# Mounted under /p/<slug:partnership_slug>/reports/ (config/urls.py).
urlpatterns = [
    path("api-tokens/", views.ApiTokensView.as_view(), name="api_tokens"),
    path("api-tokens/<int:api_token_pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
]
