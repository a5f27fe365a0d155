from django.urls import path

from partnerships.views import people as views

app_name = "partnerships"

# The dashboard, people, settings and activity, at the top of /p/<slug:partnership_slug>/.
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/export.<str:fmt>", views.PeopleExportView.as_view(), name="people_export"),
    path("people/invite/", views.InviteView.as_view(), name="invite"),
    path("people/roles/<int:role_pk>/end/", views.RoleEndView.as_view(), name="role_end"),
    path(
        "people/invitations/<int:invitation_pk>/withdraw/",
        views.InvitationWithdrawView.as_view(),
        name="invitation_withdraw",
    ),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("activity/", views.ActivityView.as_view(), name="activity"),
    path("activity/<str:fmt>/", views.ActivityExportView.as_view(), name="activity_export"),
]
