"""The annual partnership report through the browser: the coordinator finds the last complete year on
the reports page, writes the partnership's progress and generates the report, then reads it; a governor
downloads its PDF. The harness checks every page (axe-core, no sideways scrolling)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from meetings.models import Attendance, Meeting
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.e2e


def test_the_coordinator_generates_the_annual_report_and_a_governor_downloads_it(site, tenant_a, tmp_path):
    zone = timezone.get_current_timezone()
    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            kind=Meeting.Kind.PARTNERSHIP,
            starts=datetime.datetime(2025, 11, 25, 16, tzinfo=zone),
            ends=datetime.datetime(2025, 11, 25, 17, tzinfo=zone),
            organiser=tenant_a.coordinator,
        )
        for school, status in zip(
            tenant_a.schools, (Attendance.Status.PRESENT, Attendance.Status.APOLOGIES), strict=True
        ):
            Attendance.objects.create(meeting=meeting, school=school, status=status, recorded_by=tenant_a.coordinator)
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/reports/", name="reports-index")
    site.follow("Annual partnership report, 2025/26", name="annual-not-yet")
    expect(page.locator("main")).to_contain_text("has not been generated yet")
    site.submit("Generate the report", name="annual-generate")
    page.get_by_label("The partnership's progress against its aims this year").fill("Reading rose in every school.")
    site.submit("Generate the report", status=200, name="annual-report")
    expect(page.locator("h1")).to_contain_text("Annual partnership report, 2025/26")
    expect(page.locator("main")).to_contain_text("Reading rose in every school.")
    expect(page.get_by_role("table", name="How each school was represented")).to_contain_text(tenant_a.schools[1].name)

    governor = UserFactory(full_name="Grace Governor")
    with scopes_disabled():
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1], start=datetime.date(2024, 9, 1))
    page.context.clear_cookies()
    site.login(governor, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/reports/annual/2025/", name="annual-governor")
    expect(page.get_by_role("button", name="Generate it again")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (PDF)").click()
    saved = tmp_path / "annual.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
