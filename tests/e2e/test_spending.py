"""Spending and grants through the browser: the coordinator records spending with its receipt, then
Extended Schools funding and an allocation to a participating school; a headteacher reads the spending
on a phone. The harness checks every page (axe-core, no sideways scrolling)."""

import datetime
import os
import tempfile

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import Membership
from tests.e2e.conftest import PHONE
from tests.factories.documents import pdf_bytes
from tests.factories.finance import funded_year

pytestmark = pytest.mark.e2e


def test_coordinator_records_spending_and_allocates_a_grant(site, tenant_a):
    funded_year(tenant_a, start_year=2026, confirm=False)
    with scopes_disabled():
        Membership.objects.filter(partnership=tenant_a.partnership, school=tenant_a.schools[1]).update(
            left=datetime.date(2026, 4, 30)
        )
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Finance")
    site.follow("2026-27")
    site.follow("Spending against the budget", name="spending-empty")
    site.submit("Record spending", locator=page.get_by_role("button", name="Record spending"), status=200)

    page.get_by_label("Budget line").select_option(label="Events, 2026-27")
    page.get_by_label("Supplier").fill("Exeter Coaches Ltd")
    page.get_by_label("What was it for?").fill("Coach hire for the maths challenge")
    page.get_by_label("Amount spent (£)").fill("120.005")
    with tempfile.TemporaryDirectory() as folder:
        fake = os.path.join(folder, "receipt.pdf")
        with open(fake, "wb") as handle:
            handle.write(b"MZ\x90\x00 not a pdf at all")
        site.submit("Record it", status=400, name="expense-bad-amount")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the amount spent in pounds and pence")
        page.get_by_label("Amount spent (£)").fill("120.00")
        page.get_by_label("Receipt (optional)").set_input_files(fake)
        site.submit("Record it", status=400, name="expense-bad-receipt")
        expect(page.locator("#id_receipt-error")).to_contain_text("The receipt must be a PDF")
        real = os.path.join(folder, "coach receipt.pdf")
        with open(real, "wb") as handle:
            handle.write(pdf_bytes(1, "Receipt"))
        page.get_by_label("Receipt (optional)").set_input_files(real)
        site.submit("Record it", status=200, name="spending")
    expect(page.locator("main")).to_contain_text("Spent: £120.00 of £800.00 planned")
    expect(page.get_by_role("link", name="Receipt (PDF) for Exeter Coaches Ltd")).to_be_visible()

    site.visit(f"/p/{slug}/finance/", name="finance-list")
    site.follow("2026-27")
    site.follow("Grants and their allocations to schools", name="grants-empty")
    site.submit("Record a grant", locator=page.get_by_role("button", name="Record a grant"), status=200)
    page.get_by_label("Name of the grant").fill("Extended Schools funding")
    page.get_by_label("Who gave it?").fill("Devon County Council")
    page.get_by_label("Amount received (£)").fill("18500.00")
    site.submit("Record it", status=200, name="grants")
    site.follow("Allocate Extended Schools funding to a school", name="grant-allocate")
    expect(page.locator("main")).to_contain_text(f"{tenant_a.schools[1].name} left the partnership on 30 April 2026")
    page.get_by_label("School").select_option(label=tenant_a.schools[0].name)
    page.get_by_label("Amount allocated (£)").fill("20000.00")
    site.submit("Allocate it", status=400, name="grant-allocate-over")
    expect(page.locator(".govuk-error-summary")).to_contain_text("£18,500.00 is left to allocate")
    page.get_by_label("Amount allocated (£)").fill("1500.00")
    site.submit("Allocate it", status=200, name="grants-allocated")
    expect(page.get_by_role("table", name="Allocations of Extended Schools funding")).to_contain_text("£1,500.00")

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/finance/", name="finance-phone")
    site.follow("2026-27")
    site.follow("Spending against the budget", name="spending-phone")
    expect(page.get_by_role("link", name="Record spending")).to_have_count(0)
