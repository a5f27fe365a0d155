from django.urls import path

from partnerships.views import agreements as views
from partnerships.views import paper, signing, verification

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
    path("versions/<int:version_pk>/signing/", signing.SigningBoardView.as_view(), name="board"),
    path(
        "versions/<int:version_pk>/signing/export.<str:fmt>",
        signing.SigningBoardExportView.as_view(),
        name="board_export",
    ),
    path("versions/<int:version_pk>/signed-copies.zip", signing.SignedCopiesZipView.as_view(), name="signed_copies"),
    path("copies/<int:copy_pk>/", signing.CopyView.as_view(), name="copy"),
    path("copies/<int:copy_pk>/unsigned.pdf", signing.CopyBlankView.as_view(), name="copy_blank"),
    path("copies/<int:copy_pk>/signed.pdf", signing.CopySignedView.as_view(), name="copy_signed"),
    path("copies/<int:copy_pk>/sign/<int:block_pk>/", signing.SignView.as_view(), name="sign"),
    path("verify/", verification.VerifyView.as_view(), name="verify"),
    path("sections/<int:section_pk>/", views.SectionEditView.as_view(), name="section"),
    path("sections/<int:section_pk>/preview/", views.SectionPreviewView.as_view(), name="preview"),
    # Signing on paper: the scan of the copy signed by hand, and the coordinator's check of it.
    path("copies/<int:copy_pk>/paper/", paper.ScanUploadView.as_view(), name="paper_upload"),
    path("copies/<int:copy_pk>/paper/scan.pdf", paper.ScanFileView.as_view(), name="paper_scan"),
    path("copies/<int:copy_pk>/paper/check/", paper.ScanConfirmView.as_view(), name="paper_check"),
    path("copies/<int:copy_pk>/paper/send-back/", paper.ScanRejectView.as_view(), name="paper_reject"),
]
