"""The agreement on the dashboard, in the browser: ten days before it ends, the chair sees the warning and
the copies waiting for their signature, and opens one; the coordinator is offered the renewal; a
headteacher on a phone sees only their own school's copy to sign. After the end, the coordinator sees
that it expired and what to do. Every page is checked by the harness (axe-core, no sideways scrolling)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.clock import on_day
from tests.e2e.conftest import PHONE
from tests.factories.agreements import PASSWORD, signing_partnership

pytestmark = pytest.mark.e2e

ENDS = datetime.date(2027, 8, 31)


def test_the_dashboard_warns_of_the_end_and_lists_the_copies_to_sign(site):
    s = signing_partnership(schools=3)  # published; the copies are made as the publish commits
    page, slug = site.page, s.partnership.slug
    first = s.schools[0]
    with on_day(ENDS - datetime.timedelta(days=10)):
        site.login(s.chair, PASSWORD, expect_url=f"/p/{slug}/")
        site.visit(f"/p/{slug}/", name="chair-dashboard")
        expect(page.locator("#agreement-ending")).to_contain_text(
            "The partnership agreement ends on 31 August 2027, in 10 days."
        )
        expect(page.locator("#agreement-ending")).to_contain_text("The coordinator renews the agreement:")
        to_sign = page.locator("#agreement-to-sign")
        expect(to_sign.get_by_role("heading")).to_have_text("Agreements for you to sign")
        expect(to_sign.get_by_role("listitem")).to_have_count(3)
        site.follow(f"{first.name}'s copy", name="copy-to-sign")
        expect(page.locator("h1")).to_contain_text(first.name)

        page.context.clear_cookies()
        site.login(s.coordinator, PASSWORD, expect_url=f"/p/{slug}/")
        site.visit(f"/p/{slug}/", name="coordinator-dashboard")
        expect(page.locator("#agreement-to-sign")).to_have_count(0)
        site.follow("Renew the agreement", name="renew")
        expect(page.get_by_role("button", name="Draft the renewal")).to_be_visible()

        page.context.clear_cookies()
        page.set_viewport_size(PHONE)
        site.login(s.heads[first.pk], PASSWORD, expect_url=f"/p/{slug}/")
        site.visit(f"/p/{slug}/", name="head-dashboard-phone")
        expect(page.locator("#agreement-ending")).to_have_count(0)
        expect(page.locator("#agreement-to-sign").get_by_role("listitem")).to_have_text(
            f"{first.name}'s copy, to sign as headteacher"
        )

    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    with on_day(ENDS + datetime.timedelta(days=3)):
        site.login(s.coordinator, PASSWORD, expect_url=f"/p/{slug}/")
        site.visit(f"/p/{slug}/", name="coordinator-dashboard-expired")
        expect(page.locator("main")).to_contain_text("The partnership agreement expired on 31 August 2027.")
        expect(page.locator("#agreement-ending").get_by_role("link", name="Renew the agreement")).to_be_visible()
        # An expired version is no longer signed: the list of copies to sign has gone.
        expect(page.locator("#agreement-to-sign")).to_have_count(0)
