from django.urls import path

from partnerships.views import members as views

app_name = "members"

# Mounted under /p/<slug:partnership_slug>/members/ (partnerships/urls/__init__.py): the member schools directory,
# school pages, the register import, census figures and the people of each school.
urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("export.<str:fmt>", views.DirectoryExportView.as_view(), name="directory_export"),
    path("import/", views.RegisterImportView.as_view(), name="register_import"),
    path("census/import/", views.CensusImportView.as_view(), name="census_import"),
    path("<int:school_urn>/", views.SchoolView.as_view(), name="school"),
    path("<int:school_urn>/census/", views.CensusRecordView.as_view(), name="census_record"),
    path("<int:school_urn>/budget/", views.BudgetRecordView.as_view(), name="budget_record"),
    path("<int:school_urn>/people/add/", views.PersonAddView.as_view(), name="person_add"),
    path("<int:school_urn>/people/<int:person_pk>/", views.PersonEditView.as_view(), name="person_edit"),
    path("<int:school_urn>/people/<int:person_pk>/remove/", views.PersonRemoveView.as_view(), name="person_remove"),
]
