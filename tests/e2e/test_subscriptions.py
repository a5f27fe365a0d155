"""Credits through the browser: a headteacher books an adviser's visit, checks its cost, confirms it and
sees the balance fall; the school's adviser records the time it took. Every page is checked by the
harness (axe-core, no sideways scrolling) and screenshotted."""

import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.calendar import academic_year_of
from partnerships.roles import Role
from tests.e2e.conftest import fill_date
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role
from tests.factories.subscriptions import subscribed, tariff

pytestmark = pytest.mark.e2e


def test_a_headteacher_books_a_visit_and_the_adviser_records_the_time(site, tenant_a):
    today = timezone.localdate()
    year = academic_year_of(today)
    subscription = subscribed(tenant_a, year=year)
    tariff(tenant_a.partnership)
    with scopes_disabled():
        adviser = UserFactory(full_name="Ada Adviser")
        give_role(adviser, tenant_a.partnership, Role.ADVISER, tenant_a.schools[0])
    page, slug = site.page, tenant_a.slug

    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.follow("Subscriptions", name="subscriptions")
    site.follow(tenant_a.schools[0].name, name="credits")
    expect(page.locator("main")).to_contain_text("60 credits")
    site.follow("Book an adviser's time", name="book")
    page.get_by_label("Activity").select_option(label="Support for middle leaders")
    fill_date(page, "Date", today)
    page.get_by_label("Hours in school").fill("9")
    site.submit("Check the cost", status=400, name="book-too-long")
    expect(page.locator(".govuk-error-summary")).to_contain_text("8 or fewer: that is a school day")
    page.get_by_label("Hours in school").fill("3")
    page.get_by_label("Ask for a written report afterwards").check()
    site.submit("Check the cost", status=200, name="book-check")
    expect(page.locator("main")).to_contain_text("5 credits")
    expect(page.locator("main")).to_contain_text("55 credits of 60")
    site.submit("Confirm the booking", status=200, name="booked")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Booked: Support for middle leaders, for 5 credits"
    )
    expect(page.locator("main")).to_contain_text("55 credits")

    page.context.clear_cookies()
    site.login(adviser, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/{subscription.pk}/", name="adviser-credits")
    record = page.get_by_role("link", name=re.compile(r"^Record the time for Support for middle leaders"))
    site.submit(locator=record, status=200, name="record")
    page.get_by_label("Hours spent in school").fill("4")
    site.submit("Record the time", status=200, name="recorded")
    expect(page.locator("main")).to_contain_text("54 credits")


def test_a_headteacher_names_a_colleague_who_then_books_and_withdraws_it(site, tenant_a):
    today = timezone.localdate()
    subscription = subscribed(tenant_a, year=academic_year_of(today))
    tariff(tenant_a.partnership)
    with scopes_disabled():
        deputy = UserFactory(full_name="Dee Deputy")
        give_role(deputy, tenant_a.partnership, Role.DEPUTY, tenant_a.schools[0])
    page, slug = site.page, tenant_a.slug

    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/{subscription.pk}/", name="head-credits")
    site.follow("Who may book", name="bookers")
    page.get_by_label("Colleague who may book").select_option(label="Dee Deputy")
    fill_date(page, "Last day (optional)", today.replace(year=today.year - 1))
    site.submit("Let them book", status=400, name="bookers-bad-end")
    expect(page.locator(".govuk-error-summary")).to_contain_text("on or after the first day")
    page.get_by_label("Colleague who may book").select_option(label="Dee Deputy")
    for part in ("Day", "Month", "Year"):
        page.get_by_role("group", name="Last day (optional)").get_by_label(part).fill("")
    site.submit("Let them book", status=200, name="bookers-named")
    expect(page.locator("main")).to_contain_text("May book")

    page.context.clear_cookies()
    site.login(deputy, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/{subscription.pk}/", name="deputy-credits")
    expect(page.get_by_role("link", name="Book an adviser's time")).to_be_visible()

    page.context.clear_cookies()
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/schools/{subscription.school_id}/bookers/", name="bookers-again")
    site.submit(locator=page.get_by_role("link", name=re.compile(r"^Withdraw Dee Deputy")), status=200, name="withdraw")
    site.submit("Withdraw", status=200, name="withdrawn")
    expect(page.locator("main")).to_contain_text("Withdrawn")
