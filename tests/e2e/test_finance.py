"""Money through the browser: the coordinator opens a financial year, sets £2 per FTE pupil and sees each
school's contribution; a headteacher reads the year on a phone. The harness checks every page (axe-core,
no sideways scrolling)."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
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
