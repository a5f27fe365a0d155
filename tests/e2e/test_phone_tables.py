"""At phone width the lists of members, people and participation read as stacked rows: no table is wider
than the screen, and every row's status and actions can be seen without scrolling sideways."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from partnerships.models import Partnership

pytestmark = pytest.mark.e2e
PHONE_390 = {"width": 390, "height": 844}

# Elements of the main column that end beyond the right edge of the window (hidden ones skipped).
OFF_SCREEN = """() => {
    const width = window.innerWidth;
    const late = [];
    const parts = 'main table, main tbody tr, main tbody th, main td, main a, main .govuk-tag';
    for (const el of document.querySelectorAll(parts)) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 1) late.push(`${el.tagName} "${el.innerText.slice(0, 40)}"`);
    }
    return {width, late: late.slice(0, 10), tables: document.querySelectorAll('main table').length};
}"""


@pytest.fixture
def exeter(settings):
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        partnership = Partnership.objects.get(slug="exeter-beacon")
        return partnership, User.objects.get(email="coordinator@exeter-beacon.example"), settings.DEMO_PASSWORD


def test_member_people_and_participation_tables_fit_a_390_pixel_screen(site, exeter):
    partnership, coordinator, password = exeter
    site.login(coordinator, password, expect_url=f"/p/{partnership.slug}/")
    site.page.set_viewport_size(PHONE_390)
    base = f"/p/{partnership.slug}"
    from schools.models import School

    with scopes_disabled():
        school = School.objects.filter(memberships__partnership=partnership).order_by("name").first()
    today = timezone.localdate()
    for path in (
        f"{base}/",  # the dashboard's table of member schools
        f"{base}/members/{school.urn}/",  # a school's people and roles
        f"{base}/meetings/",
        f"{base}/meetings/month/{today.year}/{today.month}/",  # the month's calendar, as a list of days
        f"{base}/members/",
        f"{base}/membership/",
        f"{base}/people/",
        f"{base}/people/?show=history",
        f"{base}/development/participation/",
    ):
        site.visit(path, name="390" + path)
        found = site.page.evaluate(OFF_SCREEN)
        assert found["tables"] >= 1, f"{path} shows no table"
        assert found["late"] == [], f"{path} at {found['width']}px: off screen: {found['late']}"
    # The status of each member and the action on each role are on screen, under their column's name.
    site.visit(f"{base}/members/", name="390-members-status")
    status = site.page.locator("main tbody tr td[data-label='Status']").first
    assert status.is_visible() and status.bounding_box()["x"] >= 0
    site.visit(f"{base}/people/", name="390-people-actions")
    end_role = site.page.get_by_role("link", name="End role").first
    box = end_role.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"]
