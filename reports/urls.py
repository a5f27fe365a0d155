from django.urls import path

from reports.views import annual, people, tokens
from reports.views import governors as views

app_name = "reports"

# Mounted under /p/<slug:partnership_slug>/reports/ (config/urls.py).
urlpatterns = [
    path("people/", people.PeopleDataView.as_view(), name="people"),
    path("people/export.<str:fmt>", people.PeopleDataExportView.as_view(), name="people_export"),
    path("people/<int:user_pk>/", people.PersonDataView.as_view(), name="person"),
    path("people/<int:user_pk>/erase/", people.PersonEraseView.as_view(), name="person_erase"),
    path("people/<int:user_pk>/data.<str:data_format>", people.PersonDataExportView.as_view(), name="person_export"),
    path("api-tokens/", tokens.ApiTokensView.as_view(), name="api_tokens"),
    path("api-tokens/<int:api_token_pk>/revoke/", tokens.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
    path("", views.IndexView.as_view(), name="index"),
    path("export.<str:fmt>", views.IndexExportView.as_view(), name="index_export"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("terms/<int:academic_year>/<slug:term>/", views.TermView.as_view(), name="term"),
    path("terms/<int:academic_year>/<slug:term>/generate/", views.GenerateView.as_view(), name="generate"),
    path("terms/<int:academic_year>/<slug:term>/summary/", views.SummaryView.as_view(), name="summary"),
    path("annual/<int:academic_year>/", annual.AnnualReportView.as_view(), name="annual"),
    path("annual/<int:academic_year>/report.pdf", annual.AnnualReportPdfView.as_view(), name="annual_pdf"),
    path("annual/<int:academic_year>/generate/", annual.AnnualGenerateView.as_view(), name="annual_generate"),
    path("runs/<int:report_run_pk>/", views.RunView.as_view(), name="run"),
    path("<int:governors_report_pk>/", views.ReportView.as_view(), name="report"),
    path("<int:governors_report_pk>/report.pdf", views.ReportPdfView.as_view(), name="pdf"),
    path("<int:governors_report_pk>/release/", views.ReleaseView.as_view(), name="release"),
]
