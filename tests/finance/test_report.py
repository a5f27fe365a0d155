"""The termly finance report and the money lists' downloads: the page, the PDF and the workbook show
the same figures; downloads escape formula-looking text and keep numbers as numbers; the finance
pages run a constant number of queries on a 200-school partnership with a year of entries."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from core.testing import assert_constant_queries
from finance.models import BudgetLine, ContributionRequest, IncomeLine, LedgerEntry, Payment
from finance.report import finance_report
from finance.services.contributions import payment_record
from finance.services.ledger import ledger_entry_record, ledger_post
from schools.models import School
from tests.factories.finance import funded_year
from tests.factories.partnerships import MembershipFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _busy(tenant):
    """2026-27 at £2 per FTE with a 5% share, requests made, one school part-paid, income and spending."""
    year, requests = funded_year(tenant, start_year=2026, dated=D(2026, 3, 20), admin_share_percent="5")
    first = next(r for r in requests if r.school == tenant.schools[0])  # £409.00
    with scope(partnership=tenant.partnership):
        payment_record(
            actor=tenant.coordinator,
            request=first,
            amount=Decimal("300.00"),
            received_on=D(2026, 4, 20),
            method="cheque",
        )
        ledger_entry_record(
            actor=tenant.coordinator,
            year=year,
            kind="grant_income",
            amount=Decimal("1000.00"),
            posted_on=D(2026, 5, 1),
            description="Extended Schools funding",
        )
    with scopes_disabled():
        IncomeLine.objects.create(year=year, source="contributions", planned=Decimal("609.00"))
        IncomeLine.objects.create(year=year, source="grants", planned=Decimal("1200.00"))
        events = BudgetLine.objects.get(year=year, category="events")
        ledger_post(
            year=year,
            kind=LedgerEntry.Kind.EXPENSE,
            amount=Decimal("-120.50"),
            posted_on=D(2026, 6, 10),
            description="Hall hire for the celebration",
            recorded_by=tenant.coordinator,
            budget_line=events,
        )
    return year, requests


def test_the_report_adds_up_from_the_ledger(tenant_a):
    year, _ = _busy(tenant_a)
    with scopes_disabled():
        report = finance_report(year, D(2026, 11, 30))
    income = {line.name: (line.planned, line.actual) for line in report.income}
    spending = {line.name: (line.planned, line.actual) for line in report.spending}
    assert income == {
        "Member contributions": (Decimal("609.00"), Decimal("300.00")),
        "Grants": (Decimal("1200.00"), Decimal("1000.00")),
    }
    assert spending == {
        "Administration": (Decimal("500.00"), Decimal("15.00")),
        "Events": (Decimal("300.00"), Decimal("120.50")),
    }
    assert report.balance == Decimal("1164.50") == Decimal("1300.00") - Decimal("15.00") - Decimal("120.50")
    assert report.outstanding_total == Decimal("309.00")  # £109.00 and £200.00
    with scopes_disabled():
        early = finance_report(year, D(2026, 4, 30))
    assert early.balance == Decimal("285.00") and early.outstanding_total == Decimal("309.00")


def test_the_page_pdf_workbook_and_csv_show_the_same_figures(tenant_a, client_for, tmp_path):
    year, _ = _busy(tenant_a)
    client = client_for(tenant_a.coordinator)
    base = f"/p/{tenant_a.slug}/finance/{year.pk}"
    page = client.get(f"{base}/report/").content.decode()
    for figure in ("£1,164.50", "£309.00", "£1,300.00", "£135.50", "£120.50"):
        assert figure in page

    workbook = load_workbook(io.BytesIO(client.get(f"{base}/report/workbook/").content), data_only=True)
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Contributions outstanding"] == Decimal("309.00")
    assert [value for key, value in summary.items() if key.startswith("Bank balance")] == [Decimal("1164.50")]
    spending = {row[0]: row[1:] for row in workbook["Spending"].iter_rows(min_row=2, values_only=True)}
    assert spending["Events"] == (Decimal("300.00"), Decimal("120.50"), Decimal("120.50") - Decimal("300.00"))
    assert workbook["Spending"]["B2"].number_format.startswith('"£"')
    formulas = load_workbook(io.BytesIO(client.get(f"{base}/report/workbook/").content), data_only=False)
    assert not [c for sheet in formulas for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    response = client.get(f"{base}/report/pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title.startswith(f"Finance report {year.label}")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True).stdout
        for figure in ("£1,164.50", "£309.00", "£120.50"):
            assert figure.encode() in text
    if shutil.which("pdftoppm"):  # the PDF renders, charts and all, page by page
        (tmp_path / "report.pdf").write_bytes(response.content)
        subprocess.run(["pdftoppm", "-png", "-r", "50", tmp_path / "report.pdf", tmp_path / "page"], check=True)
        pages = sorted(tmp_path.glob("page-*.png"))
        assert len(pages) == len(reader.pages) and all(page.stat().st_size > 5000 for page in pages)

    ledger = list(csv.reader(io.StringIO(client.get(f"{base}/ledger/export.csv").content.decode("utf-8-sig"))))
    assert ledger[0] == ["Date", "Kind", "Description", "School", "Budget line", "Amount", "Balance"]
    assert ledger[-1][-1] == "1164.50"  # the last running balance is the page's bank balance
    contributions = load_workbook(io.BytesIO(client.get(f"{base}/contributions/export.xlsx").content), data_only=True)
    rows = list(contributions.active.iter_rows(min_row=2, values_only=True))
    # Numbers stay numbers (the reader gives them back as its own numbers, not as text).
    assert sum(row[7] for row in rows) == Decimal("309.00") and not [row for row in rows if isinstance(row[5], str)]


def test_a_school_named_like_a_formula_is_escaped_in_every_download(tenant_a, client_for):
    with scopes_disabled():
        School.objects.filter(pk=tenant_a.schools[1].pk).update(name='=HYPERLINK("http://x")')
    year, _ = _busy(tenant_a)
    client = client_for(tenant_a.coordinator)
    base = f"/p/{tenant_a.slug}/finance/{year.pk}"
    rows = list(csv.reader(io.StringIO(client.get(f"{base}/contributions/export.csv").content.decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in rows]
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/contributions/export.xlsx").content), data_only=False)
    names = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names
    assert client.get(f"{base}/contributions/export.exe").status_code == 404


def test_a_headteacher_sees_the_totals_not_each_schools_amount(tenant_a, client_for):
    year, _ = _busy(tenant_a)
    client = client_for(tenant_a.headteacher)
    page = client.get(f"/p/{tenant_a.slug}/finance/{year.pk}/report/").content.decode()
    assert "£309.00" in page and tenant_a.schools[1].name not in page
    workbook = load_workbook(io.BytesIO(client.get(f"/p/{tenant_a.slug}/finance/{year.pk}/report/workbook/").content))
    assert "Outstanding" not in workbook.sheetnames


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # session, user, partnership, roles (1 each); the constitution (1); the year (1); then the page's own
        ("{year}/report/", 13),
        ("{year}/contributions/", 10),
        ("{year}/ledger/", 9),
        ("overdue/", 8),
        ("requests/{request}/", 9),
        ("{year}/contributions/export.xlsx", 8),
        ("{year}/ledger/export.csv", 9),
        ("{year}/report/workbook/", 13),
    ],
)
def test_the_finance_pages_run_a_constant_number_of_queries_on_200_schools(tenant_a, client_for, path, budget):
    year, requests = _busy(tenant_a)

    def grow():
        schools = [MembershipFactory(partnership=tenant_a.partnership).school for _ in range(200)]
        start = ContributionRequest.objects.order_by("-number").first().number
        made = ContributionRequest.objects.bulk_create(
            ContributionRequest(
                partnership=tenant_a.partnership,
                year=year,
                school=school,
                number=start + n + 1,
                dated=D(2026, 3, 20),
                due=D(2026, 4, 1),
                amount=Decimal("409.00"),
                created_by=tenant_a.coordinator,
            )
            for n, school in enumerate(schools)
        )
        # A year of payments: one per school, spread from May, each in the ledger; and more on one request.
        payments = Payment.objects.bulk_create(
            Payment(
                request=request,
                received_on=D(2026, 5, 1) + datetime.timedelta(days=n % 150),
                amount=Decimal("100.00"),
                method="bank_transfer",
                recorded_by=tenant_a.coordinator,
            )
            for n, request in enumerate([*made, *[requests[0]] * 20])
        )
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                partnership=tenant_a.partnership,
                year=year,
                posted_on=payment.received_on,
                kind=LedgerEntry.Kind.CONTRIBUTION,
                amount=payment.amount,
                description=f"Contribution {n}",
                school_id=payment.request.school_id,
                payment=payment,
            )
            for n, payment in enumerate(payments)
        )

    url = f"/p/{tenant_a.slug}/finance/" + path.format(year=year.pk, request=requests[0].pk)
    assert_constant_queries(client_for(tenant_a.coordinator), url, grow=grow, at_most=budget)
