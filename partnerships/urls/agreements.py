from django.urls import path

from partnerships.views import agreements as views

app_name = "agreement"

# Mounted under /p/<slug:partnership_slug>/agreement/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.AgreementView.as_view(), name="current"),
    path("new/", views.AgreementDraftView.as_view(), name="draft"),
    path("versions/<int:version_pk>/", views.VersionView.as_view(), name="version"),
    path("versions/<int:version_pk>/term/", views.VersionTermView.as_view(), name="term"),
    path("versions/<int:version_pk>/signatories/", views.VersionSignatoriesView.as_view(), name="signatories"),
    path("versions/<int:version_pk>/publish/", views.VersionPublishView.as_view(), name="publish"),
    path("versions/<int:version_pk>/renew/", views.VersionRenewView.as_view(), name="renew"),
    path(
        "versions/<int:version_pk>/compare/<int:other_version_pk>/",
        views.VersionCompareView.as_view(),
        name="compare",
    ),
    path("sections/<int:section_pk>/", views.SectionEditView.as_view(), name="section"),
    path("sections/<int:section_pk>/preview/", views.SectionPreviewView.as_view(), name="preview"),
]
