"""Governors' reports through the browser: a governor signs in, finds the school's latest report on the
dashboard, reads it and downloads its PDF; the coordinator generates a term's reports and watches the
progress. The harness checks every page (axe-core, no sideways scrolling)."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from partnerships.roles import Role
from reports.services.governors import governors_report_generate
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.e2e


def test_a_governor_signs_in_and_downloads_their_schools_report(site, tenant_a, tmp_path):
    school = tenant_a.schools[0]
    governor = UserFactory(full_name="Grace Governor")
    with scopes_disabled():
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, school, start=datetime.date(2024, 9, 1))
    with scope(partnership=tenant_a.partnership):
        governors_report_generate(
            actor=None, partnership=tenant_a.partnership, school=school, academic_year=2025, term="summer"
        )
    page, slug = site.page, tenant_a.slug
    site.login(governor, expect_url=f"/p/{slug}/")
    site.follow(f"{school.name}: Summer term 2025/26", name="governors-report")
    expect(page.locator("h1")).to_contain_text("governors' report, Summer term 2025/26")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (PDF)").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_the_coordinator_generates_a_terms_reports_and_sees_the_progress(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Reports", name="reports-index")
    site.follow("Summer term 2025/26", name="reports-term")
    site.submit("Generate the reports", status=200, name="reports-generating")
    progress = page.locator("#report-run")
    expect(progress).to_contain_text("of 2")
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("main")).to_contain_text(tenant_a.schools[0].name)
