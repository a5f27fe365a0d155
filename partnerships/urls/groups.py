from django.urls import path

from partnerships.views import groups as views

app_name = "groups"

# Mounted under /p/<slug:partnership_slug>/groups/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("export.<str:fmt>", views.GroupListExportView.as_view(), name="list_export"),
    path("new/", views.GroupCreateView.as_view(), name="create"),
    path("<int:group_pk>/", views.GroupDetailView.as_view(), name="detail"),
    path("<int:group_pk>/export.<str:fmt>", views.GroupMembersExportView.as_view(), name="members_export"),
    path("<int:group_pk>/change/", views.GroupChangeView.as_view(), name="change"),
    path("<int:group_pk>/host/", views.GroupHostView.as_view(), name="host"),
    path("<int:group_pk>/members/add/", views.GroupMemberAddView.as_view(), name="member_add"),
    path("members/<int:group_member_pk>/remove/", views.GroupMemberRemoveView.as_view(), name="member_remove"),
]
