from django.urls import path

from partnerships.views import membership as views

app_name = "membership"

# Mounted under /p/<slug:partnership_slug>/membership/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.MembershipListView.as_view(), name="list"),
    path("export.<str:fmt>", views.MembershipListExportView.as_view(), name="list_export"),
    path("join/", views.MembershipJoinView.as_view(), name="join"),
    path("<int:membership_pk>/", views.MembershipDetailView.as_view(), name="detail"),
    path("<int:membership_pk>/notice/", views.LeavingNoticeRecordView.as_view(), name="notice_record"),
    path("<int:membership_pk>/notes/", views.MembershipNotesView.as_view(), name="notes"),
    path("notices/<int:notice_pk>/", views.LeavingNoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:notice_pk>/letter/", views.LeavingNoticeLetterView.as_view(), name="notice_letter"),
]
