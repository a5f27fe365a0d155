"""API tokens through the browser: a governor makes a token from the account bar, sees its secret once,
and revokes it. Every page is checked by the harness (axe-core, no sideways scrolling)."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.e2e


def test_a_governor_makes_a_token_sees_it_once_and_revokes_it(site, tenant_a):
    with scopes_disabled():
        governor = UserFactory(full_name="Gil Governor")
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[0])
    page, slug = site.page, tenant_a.slug
    site.login(governor, expect_url=f"/p/{slug}/")
    site.follow("API tokens", name="api-tokens")
    site.submit("Make a token", status=400, name="api-token-no-name")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the token's name")
    page.get_by_label("Name").fill("Governors' spreadsheet")
    site.submit("Make a token", status=200, name="api-token-made")
    secret = page.locator("#secret").inner_text()
    assert len(secret) > 30
    answer = page.request.get(site.url(f"/api/v1/p/{slug}/members"), headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["count"] == 2
    site.visit(f"/p/{slug}/reports/api-tokens/", name="api-tokens-again")
    expect(page.locator("main")).not_to_contain_text(secret)
    site.submit(locator=page.get_by_role("link", name=re.compile(r"^Revoke")), status=200, name="api-token-revoke")
    site.submit("Revoke the token", status=200, name="api-token-revoked")
    expect(page.locator("main")).to_contain_text("Revoked")
    gone = page.request.get(site.url(f"/api/v1/p/{slug}/members"), headers={"Authorization": f"Bearer {secret}"})
    assert gone.status == 401
