"""The coordinator's subscription set-up and the Kent PEP's pages through the browser: the tariff and
its editing, plans, subscribing, and a PEP's plan with its CPD, support and panel (a conflicted head
refused at the field). Every page is checked by the harness (axe-core, no sideways scrolling)."""

import datetime

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.calendar import academic_year_of
from partnerships.roles import Role
from subscriptions.services.pep import pep_plan_create
from tests.e2e.conftest import fill_date
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role
from tests.factories.subscriptions import subscribed, tariff

pytestmark = pytest.mark.e2e


def test_the_coordinator_sets_up_the_tariff_and_a_peps_panel(site, tenant_a):
    from django.utils import timezone

    year = academic_year_of(timezone.localdate())
    subscribed(tenant_a, year=year)
    tariff(tenant_a.partnership)
    with scopes_disabled():
        pep = UserFactory(full_name="Pat PEP")
        give_role(pep, tenant_a.partnership, Role.ADVISER, tenant_a.schools[0])
        plan = pep_plan_create(actor=tenant_a.coordinator, partnership=tenant_a.partnership, pep=pep, year=year)
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Subscriptions", name="subscriptions")
    site.follow("See what each activity costs", name="tariff")
    site.follow("Add to the tariff", name="tariff-new")
    page.get_by_label("Activity", exact=True).fill("Support with safeguarding")
    page.get_by_label("An adviser's activity in school (credits by the hour)").check()
    page.get_by_label("Credits an hour in school (adviser's activities)").fill("1.5")
    site.submit("Save", status=400, name="tariff-bad-rate")
    expect(page.locator(".govuk-error-summary")).to_contain_text("whole number")
    page.get_by_label("Credits an hour in school (adviser's activities)").fill("1")
    site.submit("Save", status=200, name="tariff-saved")
    expect(page.locator("main")).to_contain_text("Support with safeguarding")
    site.visit(f"/p/{slug}/subscriptions/plans/new/", name="plan-new")
    site.visit(f"/p/{slug}/subscriptions/subscribe/", name="subscribe")

    site.visit(f"/p/{slug}/subscriptions/pep/", name="pep-plans")
    site.follow(f"{pep.full_name}, {year}/{str(year + 1)[2:]}", name="pep-plan")
    expect(page.locator("main")).to_contain_text("4 days missing")
    site.follow("Add a member of the panel", name="panel")
    page.get_by_label("Headteacher of a school the PEP does not advise").check()
    page.get_by_label("Who").select_option(label=tenant_a.headteacher.full_name)
    fill_date(page, "Panel date", datetime.date(year + 1, 6, 10))
    site.submit("Add to the panel", status=400, name="panel-conflict")
    expect(page.locator(".govuk-error-summary")).to_contain_text("conflict of interest")
    assert plan.pk
