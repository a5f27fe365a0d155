from django.urls import path

from partnerships.views import development as views

app_name = "development"

# Mounted under /p/<slug:partnership_slug>/development/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.AreaListView.as_view(), name="list"),
    path("export.<str:fmt>", views.AreaListExportView.as_view(), name="list_export"),
    path("participation/", views.ParticipationView.as_view(), name="participation"),
    path("participation/export.<str:fmt>", views.ParticipationExportView.as_view(), name="participation_export"),
    path("new/", views.AreaCreateView.as_view(), name="create"),
    path("<int:area_pk>/", views.AreaDetailView.as_view(), name="detail"),
    path("<int:area_pk>/change/", views.AreaChangeView.as_view(), name="change"),
    path("<int:area_pk>/actions/add/", views.ActionAddView.as_view(), name="action_add"),
    path("<int:area_pk>/milestones/add/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("<int:area_pk>/schools/add/", views.ParticipationAddView.as_view(), name="participation_add"),
    path("actions/<int:dev_action_pk>/change/", views.ActionChangeView.as_view(), name="action_change"),
    path("milestones/<int:milestone_pk>/change/", views.MilestoneChangeView.as_view(), name="milestone_change"),
    path(
        "schools/<int:participation_pk>/change/",
        views.ParticipationChangeView.as_view(),
        name="participation_change",
    ),
    path(
        "schools/<int:participation_pk>/remove/",
        views.ParticipationRemoveView.as_view(),
        name="participation_remove",
    ),
]
