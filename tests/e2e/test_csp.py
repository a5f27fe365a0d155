"""The other e2e tests bypass the Content Security Policy so that axe can be injected. This one does
not: the app's own pages, scripts and images must run under the strict policy with no violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_pages_run_under_the_content_security_policy(browser, live_server, tenant_a):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")  # no bypass_csp
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console, seen = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))

    def checked(response, status=200):
        assert response is not None and response.status == status, (page.url, response and response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"no strict CSP on {page.url}: {policy!r}"
        # GOV.UK Frontend's module script ran: the body class is set and components are initialised.
        expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)
        seen.append(page.url.removeprefix(live_server.url))
        violations = page.evaluate("() => window.__cspViolations || []")
        assert not violations, f"CSP violations on {page.url}: {violations}"

    def go(path, status=200):
        checked(page.goto(f"{live_server.url}{path}"), status)

    def press(button, status=200):
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=button, exact=True).click()
        checked(navigation.value, status)

    try:
        go(reverse("invitation_accept", args=[tenant_a.invitation.token]))
        go("/accounts/password/reset/")
        go("/no-such-page/", status=404)
        go("/accounts/login/")
        expect(page.get_by_role("button", name="Show password")).to_be_visible()  # password input JS ran
        page.get_by_label("Email address").fill(tenant_a.coordinator.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        press("Sign in")
        slug = tenant_a.slug
        go(f"/p/{slug}/people/")
        go(f"/p/{slug}/people/invite/")
        press("Send invitation", status=400)
        expect(page.locator(".govuk-error-summary")).to_be_focused()  # error summary JS ran
        go(f"/p/{slug}/activity/")
        go(f"/p/{slug}/settings/")
        go("/accounts/2fa/totp/activate/")  # asks for the password first
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        press("Continue")
        # The QR code is a data: image, which img-src allows.
        expect(page.get_by_role("img", name="QR code for your Commonroom account")).to_be_visible()
        assert page.evaluate("() => document.querySelector('.cr-qr img').naturalWidth") > 0
        go("/accounts/logout/")
    finally:
        context.close()

    csp_messages = [text for text in console if "Content Security Policy" in text or text.startswith("uncaught")]
    assert not csp_messages, f"Content Security Policy problems on {seen}:\n" + "\n".join(csp_messages)
    assert len(seen) == 13
