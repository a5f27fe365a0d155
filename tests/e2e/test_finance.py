"""Money through the browser: the coordinator opens a financial year, sets £2 per FTE pupil and sees each
school's contribution; a headteacher reads the year on a phone. The harness checks every page (axe-core,
no sideways scrolling)."""

import datetime
import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.factories.finance import funded_year
from tests.factories.schools import CensusFactory

pytestmark = pytest.mark.e2e


def test_coordinator_opens_a_year_sets_the_contributions_and_previews_them(site, tenant_a):
    with scopes_disabled():
        for school in tenant_a.schools:
            CensusFactory(school=school, year=2026, fte=Decimal("204.5"))
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Finance")
    expect(page.locator("main")).to_contain_text("No financial year has been opened yet.")

    site.submit("Open a financial year", status=200)
    page.get_by_label("Year it starts").fill("2026")
    page.get_by_label("Administration: planned amount (£)").fill("12.345")
    site.submit("Open the year", status=400, name="finance-open-bad")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the planned amount for administration in pounds and pence, like 1500.00"
    )
    page.get_by_label("Administration: planned amount (£)").fill("450.00")
    site.submit("Open the year", status=200, name="finance-year")
    expect(page.locator("h1")).to_have_text("Financial year 2026-27")
    expect(page.locator("main")).to_contain_text("£450.00")

    site.submit("Set the contributions", status=200)
    page.get_by_label("An amount per full-time equivalent pupil at the January census").check()
    site.submit("Save", status=400, name="finance-scheme-empty")
    expect(page.locator("#id_rate-error")).to_contain_text("Enter the rate in pounds and pence, like 2.00")
    page.get_by_label("Rate (£)").fill("2.00")
    site.submit("Save", status=200)
    site.follow("See each school's contribution", name="finance-contributions")
    table = page.get_by_role("table", name="Member schools")
    expect(table).to_contain_text(tenant_a.schools[0].name)
    expect(table).to_contain_text("£409.00")
    expect(table).to_contain_text("£818.00")

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/finance/", name="finance-phone")
    site.follow("2026-27", name="finance-year-phone")
    expect(page.get_by_role("link", name="See each school's contribution")).to_have_count(0)


def test_coordinator_confirms_the_requests_records_a_part_payment_and_downloads_the_report(site, tenant_a):
    year, _ = funded_year(tenant_a, confirm=False)  # £2 per FTE, 204.5 and 100.0 FTE: £409.00 and £200.00
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/finance/{year.pk}/", name="finance-year-links")
    site.follow("Requests for contribution and payments", name="finance-preview")
    expect(page.get_by_role("table", name="Member schools")).to_contain_text("£409.00")
    site.submit("Confirm and make the requests", status=200, name="finance-requests")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 requests for contribution made")
    table = page.get_by_role("table", name="Requests for contribution")
    expect(table).to_contain_text("£609.00")
    expect(page.get_by_role("button", name="Confirm and make the requests")).to_have_count(0)

    with scopes_disabled():
        from finance.models import ContributionRequest

        first = ContributionRequest.objects.get(year=year, school=tenant_a.schools[0])
    link = page.get_by_role("link", name=f"No. {first.reference}")
    expect(link).to_have_accessible_name(re.compile(f"No. {first.reference}.*{tenant_a.schools[0].name}"))
    site.submit(locator=link, status=200, name="finance-request")
    site.submit("Record a payment", status=200, name="finance-payment")
    page.get_by_label("Amount received (£)").fill("500.00")
    page.get_by_label("Bank transfer").check()
    site.submit("Record the payment", status=400, name="finance-overpayment")
    expect(page.locator("#id_amount-error")).to_contain_text("£500.00 is more than is owed: £409.00 is outstanding")
    page.get_by_label("Amount received (£)").fill("200.00")
    site.submit("Record the payment", status=200, name="finance-part-paid")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("£200.00 from")
    expect(page.locator("main")).to_contain_text("£209.00")

    site.visit(f"/p/{slug}/finance/{year.pk}/", name="finance-year-again")
    site.follow("Finance report for the strategy group", name="finance-report")
    expect(page.locator("main")).to_contain_text("£409.00")  # outstanding: £209.00 and £200.00
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (PDF)").click()
    assert download.value.suggested_filename.startswith("finance-report-")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"


def test_coordinator_sees_the_overdue_warning_changes_the_budget_and_closes_an_ended_year(site, tenant_a):
    funded_year(tenant_a, start_year=2025, dated=datetime.date(2025, 3, 20))  # 2025-26: ended, both requests unpaid
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.check("dashboard-overdue")
    expect(page.locator("#overdue-contributions")).to_contain_text("2 contributions are overdue, £609.00 outstanding.")
    site.follow("See the overdue contributions", name="finance-overdue")

    site.visit(f"/p/{slug}/finance/")
    site.follow("2025-26", name="finance-year-ended")
    site.submit("Change the budget", status=200, name="finance-budget")
    page.get_by_label("Grants: expected amount (£)").fill("-5")
    site.submit("Save the budget", status=400, name="finance-budget-bad")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The expected amount for grants must be £0.00 or more")
    page.get_by_label("Grants: expected amount (£)").fill("5000.00")
    site.submit("Save the budget", status=200)
    expect(page.locator("main")).to_contain_text("£5,000.00")

    site.follow("Close the year", name="finance-close")
    expect(page.locator("main")).to_contain_text("2 schools still owe £609.00 for 2025-26")
    site.submit("Close the year", status=200, name="finance-year-closed")
    expect(page.locator("main")).to_contain_text("Closed")
    expect(page.get_by_role("link", name="Close the year")).to_have_count(0)


def test_headteacher_opens_their_schools_statement_and_downloads_it(site, tenant_a):
    import datetime
    import io

    from pypdf import PdfReader

    from tests.factories.finance import funded_year

    funded_year(tenant_a, start_year=2026, dated=datetime.date(2026, 3, 20))
    page, slug, school = site.page, tenant_a.slug, tenant_a.schools[0]
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.follow("Finance")
    site.follow("Your school's statement of contributions", name="statements-head")
    expect(page.locator("main")).not_to_contain_text(tenant_a.schools[1].name)
    site.follow(school.name, name="statement-head")
    expect(page.locator("h1")).to_have_text(f"Statement: {school.name}")
    expect(page.get_by_role("region", name="Financial year 2026-27")).to_contain_text("£409.00")
    expect(page.locator("main")).to_contain_text("£409.00 outstanding")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this statement (PDF)").click()
    assert download.value.suggested_filename.startswith("statement-")
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert reader.metadata.title == f"Statement of contributions: {school.name}"
    assert "£409.00" in reader.pages[0].extract_text()

    # The year's page: the partnership's totals, without the other school's amount.
    site.follow("Finance")
    site.follow("2026-27", name="year-head")
    expect(page.locator("main")).to_contain_text("£609.00")  # £409.00 and £200.00 asked
    expect(page.locator("main")).not_to_contain_text(tenant_a.schools[1].name)
    site.follow("The partnership's finance summary", name="summary-head")
    expect(page.get_by_role("table", name="Each financial year")).to_contain_text("£609.00")


def test_coordinator_keeps_the_ledger_shares_a_cost_and_reverses_a_payment(site, tenant_a):
    from finance.services.contributions import payment_record

    year, requests = funded_year(tenant_a, dated=datetime.date(2026, 3, 20), start_year=2026)
    with scopes_disabled():
        request = next(r for r in requests if r.school == tenant_a.schools[0])
        payment_record(
            actor=tenant_a.coordinator,
            request=request,
            amount=Decimal("100.00"),
            received_on=datetime.date(2026, 4, 20),
            method="cheque",
        )
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/finance/{year.pk}/ledger/", name="ledger")
    site.submit("Record money received", status=200, name="ledger-record")
    page.get_by_label("Interest").check()
    page.get_by_label("Description").fill("Bank interest, April")
    page.get_by_label("Amount received (£)").fill("0")
    site.submit("Record it", status=400, name="ledger-record-bad")
    expect(page.locator("#id_amount-error")).to_contain_text("more than £0.00")
    page.get_by_label("Amount received (£)").fill("3.21")
    site.submit("Record it", status=200)
    expect(page.locator("main")).to_contain_text("£103.21")  # the balance: £100.00 and £3.21
    site.follow("Correct Bank interest, April", name="entry-correct")
    page.get_by_label("Why is it being reversed?").fill("It was May's interest")
    site.submit("Correct the entry", status=200)
    expect(page.locator("main")).to_contain_text("Corrected")

    site.visit(f"/p/{slug}/finance/requests/{request.pk}/", name="request-paid")
    site.follow("Reverse the payment of £100.00 on 20 April 2026", name="payment-reverse")
    site.submit("Reverse the payment", status=400, name="payment-reverse-bad")
    page.get_by_label("Why is it being reversed?").fill("The cheque bounced")
    site.submit("Reverse the payment", status=200)
    expect(page.locator("main")).to_contain_text("Reversal: The cheque bounced")

    page.set_viewport_size(PHONE)
    site.visit(f"/p/{slug}/finance/overdue/", name="overdue-phone")
    expect(page.locator("main")).to_contain_text(tenant_a.schools[0].name)
    page.set_viewport_size({"width": 1280, "height": 900})

    site.visit(f"/p/{slug}/finance/{year.pk}/costs/", name="costs")
    site.submit("Share a cost", status=200, name="cost-new")
    page.get_by_label("What is the cost for?").fill("Science week: hall hire")
    page.get_by_label("Total to share (£)").fill("100.00")
    page.get_by_label("In equal parts").check()
    site.submit("Work out the shares", status=400, name="cost-new-bad")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the schools taking part")
    for school in tenant_a.schools:
        page.get_by_label(school.name).check()
    site.submit("Work out the shares", status=200, name="cost-shares")
    expect(page.get_by_role("table", name="Each school's share")).to_contain_text("£50.00")
    site.submit("Confirm and ask the schools", status=200, name="cost-asked")
    expect(page.get_by_role("table", name="Requests for the shares")).to_contain_text("£50.00")
