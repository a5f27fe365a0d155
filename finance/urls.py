from django.urls import path

from finance import views

app_name = "finance"

# Mounted under /p/<slug:partnership_slug>/finance/ (config/urls.py).
urlpatterns = [
    path("", views.YearListView.as_view(), name="list"),
    path("open/", views.YearOpenView.as_view(), name="open"),
    path("<int:year_pk>/", views.YearDetailView.as_view(), name="year"),
    path("<int:year_pk>/scheme/", views.SchemeSetView.as_view(), name="scheme"),
    path("<int:year_pk>/contributions/", views.ContributionsPreviewView.as_view(), name="contributions"),
]
