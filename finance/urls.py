from django.urls import path

from finance.views import contributions, ledger, statements, years

app_name = "finance"

# Mounted under /p/<slug:partnership_slug>/finance/ (config/urls.py).
urlpatterns = [
    path("", years.YearListView.as_view(), name="list"),
    path("open/", years.YearOpenView.as_view(), name="open"),
    path("overdue/", contributions.OverdueView.as_view(), name="overdue"),
    path("<int:year_pk>/", years.YearDetailView.as_view(), name="year"),
    path("<int:year_pk>/scheme/", years.SchemeSetView.as_view(), name="scheme"),
    path("<int:year_pk>/contributions/", contributions.ContributionsView.as_view(), name="contributions"),
    path("<int:year_pk>/ledger/", ledger.LedgerView.as_view(), name="ledger"),
    path("<int:year_pk>/ledger/record/", ledger.LedgerEntryRecordView.as_view(), name="ledger_record"),
    path("requests/<int:request_pk>/", contributions.RequestDetailView.as_view(), name="request"),
    path("requests/<int:request_pk>/pay/", contributions.PaymentRecordView.as_view(), name="payment"),
    path("requests/<int:request_pk>/pdf/", statements.RequestPdfView.as_view(), name="request_pdf"),
    path("statements/", statements.StatementListView.as_view(), name="statements"),
    path("statements/<int:school_pk>/", statements.StatementView.as_view(), name="statement"),
    path("statements/<int:school_pk>/pdf/", statements.StatementPdfView.as_view(), name="statement_pdf"),
    path("summary/", statements.SummaryView.as_view(), name="summary"),
    path("payments/<int:payment_pk>/reverse/", contributions.PaymentReverseView.as_view(), name="payment_reverse"),
    path("entries/<int:entry_pk>/reverse/", ledger.LedgerEntryReverseView.as_view(), name="entry_reverse"),
]
