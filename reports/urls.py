from django.urls import path

from reports.views import people

app_name = "reports"

# Mounted under /p/<slug:partnership_slug>/reports/ (config/urls.py).
urlpatterns = [
    path("people/", people.PeopleDataView.as_view(), name="people"),
    path("people/<int:user_pk>/", people.PersonDataView.as_view(), name="person"),
    path("people/<int:user_pk>/erase/", people.PersonEraseView.as_view(), name="person_erase"),
    path("people/<int:user_pk>/data.<str:data_format>", people.PersonDataExportView.as_view(), name="person_export"),
]
