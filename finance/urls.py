from django.urls import path

from finance.views import contributions, costs, ledger, report, spending, statements, years

app_name = "finance"

# Mounted under /p/<slug:partnership_slug>/finance/ (config/urls.py).
urlpatterns = [
    path("", years.YearListView.as_view(), name="list"),
    path("export.<str:fmt>", years.YearListExportView.as_view(), name="list_export"),
    path("open/", years.YearOpenView.as_view(), name="open"),
    path("overdue/", contributions.OverdueView.as_view(), name="overdue"),
    path("overdue/export.<str:fmt>", report.OverdueExportView.as_view(), name="overdue_export"),
    path("<int:year_pk>/", years.YearDetailView.as_view(), name="year"),
    path("<int:year_pk>/scheme/", years.SchemeSetView.as_view(), name="scheme"),
    path("<int:year_pk>/budget/", years.BudgetSetView.as_view(), name="budget"),
    path("<int:year_pk>/close/", years.YearCloseView.as_view(), name="close"),
    path("<int:year_pk>/contributions/", contributions.ContributionsView.as_view(), name="contributions"),
    path("<int:year_pk>/contributions/add/", contributions.RequestAddView.as_view(), name="request_add"),
    path(
        "<int:year_pk>/contributions/export.<str:fmt>",
        report.ContributionsExportView.as_view(),
        name="contributions_export",
    ),
    path("<int:year_pk>/costs/", costs.SharedCostListView.as_view(), name="costs"),
    path("<int:year_pk>/costs/export.<str:fmt>", report.SharedCostsExportView.as_view(), name="costs_export"),
    path("<int:year_pk>/costs/new/", costs.SharedCostCreateView.as_view(), name="cost_new"),
    path("costs/<int:cost_pk>/", costs.SharedCostView.as_view(), name="cost"),
    path("costs/<int:cost_pk>/export.<str:fmt>", report.SharedCostExportView.as_view(), name="cost_export"),
    path("<int:year_pk>/spending/export.<str:fmt>", report.SpendingExportView.as_view(), name="spending_export"),
    path("<int:year_pk>/grants/export.<str:fmt>", report.GrantsExportView.as_view(), name="grants_export"),
    path("<int:year_pk>/report/", report.ReportView.as_view(), name="report"),
    path("<int:year_pk>/report/pdf/", report.ReportPdfView.as_view(), name="report_pdf"),
    path("<int:year_pk>/report/workbook/", report.ReportExportView.as_view(), name="report_xlsx"),
    path("<int:year_pk>/ledger/", ledger.LedgerView.as_view(), name="ledger"),
    path("<int:year_pk>/ledger/export.<str:fmt>", report.LedgerExportView.as_view(), name="ledger_export"),
    path("<int:year_pk>/ledger/record/", ledger.LedgerEntryRecordView.as_view(), name="ledger_record"),
    path("requests/<int:request_pk>/", contributions.RequestDetailView.as_view(), name="request"),
    path("requests/<int:request_pk>/pay/", contributions.PaymentRecordView.as_view(), name="payment"),
    path("requests/<int:request_pk>/pdf/", statements.RequestPdfView.as_view(), name="request_pdf"),
    path("statements/", statements.StatementListView.as_view(), name="statements"),
    path("statements/export.<str:fmt>", report.StatementsExportView.as_view(), name="statements_export"),
    path("statements/<int:school_pk>/", statements.StatementView.as_view(), name="statement"),
    path("statements/<int:school_pk>/pdf/", statements.StatementPdfView.as_view(), name="statement_pdf"),
    path("summary/", statements.SummaryView.as_view(), name="summary"),
    path("payments/<int:payment_pk>/reverse/", contributions.PaymentReverseView.as_view(), name="payment_reverse"),
    path("entries/<int:entry_pk>/reverse/", ledger.LedgerEntryReverseView.as_view(), name="entry_reverse"),
    path("<int:year_pk>/spending/", spending.SpendingView.as_view(), name="spending"),
    path("<int:year_pk>/spending/record/", spending.ExpenseRecordView.as_view(), name="expense_record"),
    path("expenses/<int:expense_pk>/receipt/", spending.ReceiptView.as_view(), name="receipt"),
    path("<int:year_pk>/grants/", spending.GrantsView.as_view(), name="grants"),
    path("<int:year_pk>/grants/record/", spending.GrantRecordView.as_view(), name="grant_record"),
    path("grants/<int:grant_pk>/allocate/", spending.GrantAllocateView.as_view(), name="grant_allocate"),
]
