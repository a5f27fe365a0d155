"""A form sent through htmx: its errors (status 400) appear in place, without loading a new page,
and the page still passes axe; success still loads the next page in full."""

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import RoleAssignment
from tests.e2e.conftest import DESKTOP, fill_date
from tests.e2e.test_csp import RECORD_VIOLATIONS
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.e2e


def send_in_place(page, button: str):
    """Press the button of an htmx form and wait for its answer, which must not load a new page."""
    page.evaluate("() => { window.__samePage = true }")
    loads = page.e2e_state["loads"]
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button, exact=True).click()
    response = answer.value
    assert response.request.headers.get("hx-request") == "true", "the form was not sent by htmx"
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    assert page.evaluate("() => window.__samePage === true"), "the browser loaded a new page"
    assert page.e2e_state["loads"] == loads, "the browser loaded a new page"
    return response


def test_ending_a_role_shows_its_errors_in_place(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    role = tenant_a.role
    path = f"/p/{slug}/people/roles/{role.pk}/end/"
    site.login(tenant_a.coordinator)
    site.visit(path)

    # htmx swaps a form's 400 (and 422) in place; a server error is still not swapped.
    handling = page.evaluate("() => htmx.config.responseHandling")
    assert {"code": "^(400|422)$", "swap": True, "error": False} in handling
    assert next(rule for rule in handling if re.search(rule["code"], "500"))["swap"] is False

    # Not a date: the form's own error, in place.
    group = page.get_by_role("group", name="Last day in the role")
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill("2026")
    response = send_in_place(page, "End role")
    assert response.status == 400
    expect(page).to_have_title("Error: End a role – Alpha Partnership – Commonroom")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK's error summary is set up on the swapped-in content too
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_end")
    expect(page.locator("#id_end-error")).to_contain_text("The last day in the role must be a real date")
    expect(page.locator(".govuk-form-group--error")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    site.check("not-a-date")
    assert site.path == path

    # A date before the role started: the service's refusal, next to the field, in place again.
    before = role.start - datetime.timedelta(days=1)
    fill_date(page, "Last day in the role", before)
    response = send_in_place(page, "End role")
    assert response.status == 400
    expect(page.locator("#id_end-error")).to_contain_text("The role cannot end before it started")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The role cannot end before it started")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    site.check("before-it-started")
    with scopes_disabled():
        assert RoleAssignment.objects.get(pk=role.pk).end is None

    # A good date: the next page loads in full, with its own address and the success banner.
    ends = timezone.localdate() + datetime.timedelta(days=7)
    fill_date(page, "Last day in the role", ends)
    site.submit("End role", status=200, name="role-ended")
    assert site.path == f"/p/{slug}/people/"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"last day as Headteacher, {tenant_a.schools[0].name} is {ends.day} {ends:%B %Y}"
    )
    with scopes_disabled():
        assert RoleAssignment.objects.get(pk=role.pk).end == ends


def test_an_htmx_form_runs_under_the_content_security_policy(browser, live_server, tenant_a):
    """htmx reads its configuration from a meta tag and swaps without inline script or style."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")  # no bypass_csp
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(tenant_a.coordinator.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()
        page.goto(f"{live_server.url}/p/{tenant_a.slug}/people/roles/{tenant_a.role.pk}/end/")
        page.get_by_role("group", name="Last day in the role").get_by_label("Day").fill("99")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="End role", exact=True).click()
        assert answer.value.status == 400
        expect(page.locator("#id_end-error")).to_be_visible()
        expect(page.locator(".govuk-error-summary")).to_be_focused()
        assert page.evaluate("() => window.__cspViolations || []") == []
    finally:
        context.close()
    assert not problems, "\n".join(problems)
