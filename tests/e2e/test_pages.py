"""Real people through the browser. Every page they reach is checked by the harness (axe-core with
zero violations, no sideways scrolling, no government branding) and screenshotted."""

import datetime
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from tests.e2e.conftest import PHONE, fill_date
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.e2e
CURRENT_ROLES = re.compile(r"^Current roles \(\d+\)$")


def error_summary(page):
    return page.locator(".govuk-error-summary")


def banner(page):
    return page.locator(".govuk-notification-banner")


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_coordinator_manages_people(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    people_path = f"/p/{slug}/people/"

    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    expect(page.locator("h1")).to_have_text("Alpha Partnership")
    expect(page.locator("main")).to_contain_text("2 schools: 2 primary phase")
    site.follow("See every member school")
    for school in tenant_a.schools:
        expect(page.locator("main")).to_contain_text(school.name)
    site.visit(f"/p/{slug}/")

    site.follow("People and roles")
    assert site.path == people_path
    expect(page.get_by_role("table", name=CURRENT_ROLES)).to_contain_text("Alpha Partnership Head")

    site.submit("Invite a person")
    assert site.path == f"{people_path}invite/"

    # No email address: the error summary links to the field, and the field shows the error.
    page.get_by_label("Full name").fill("Dana Scully")
    page.get_by_label("Role").select_option(label="Headteacher")
    site.submit("Send invitation", status=400, name="invite-missing-email")
    expect(page).to_have_title("Error: Invite a person – Alpha Partnership – Commonroom")
    expect(error_summary(page)).to_be_focused()
    expect(error_summary(page).get_by_role("link")).to_have_attribute("href", "#id_email")
    expect(page.locator("#id_email-error")).to_contain_text("Enter their email address")
    expect(page.get_by_label("Email address")).to_have_attribute("aria-describedby", "id_email-hint id_email-error")

    # A school role without a school: the service's error lands next to the school field.
    page.get_by_label("Email address").fill("dana@school.example")
    site.submit("Send invitation", status=400, name="invite-school-role-without-school")
    expect(error_summary(page)).to_contain_text("Choose the school this headteacher is for")
    expect(page.locator("#id_school-error")).to_contain_text("Choose the school this headteacher is for")
    expect(page.get_by_label("Full name")).to_have_value("Dana Scully")

    page.get_by_label("School").select_option(label=tenant_a.schools[1].name)
    site.submit("Send invitation", status=200, name="invitation-sent")
    assert site.path == people_path
    expect(banner(page)).to_contain_text("Invitation sent to dana@school.example")
    pending = page.get_by_role("table", name="Invitations waiting for a reply")
    expect(pending).to_contain_text("dana@school.example")
    expect(pending).to_contain_text(f"Headteacher, {tenant_a.schools[1].name}")

    # End the headteacher's role from next week.
    site.follow("End role of Alpha Partnership Head as Headteacher")
    expect(page.locator("h1")).to_have_text("End the role of headteacher")
    ends = timezone.localdate() + datetime.timedelta(days=7)
    fill_date(page, "Last day in the role", ends)
    site.submit("End role", status=200, name="role-ended")
    assert site.path == people_path
    expect(banner(page)).to_contain_text(f"last day as Headteacher, {tenant_a.schools[0].name} is {ends:%-d %B %Y}")
    expect(page.get_by_role("table", name=CURRENT_ROLES)).to_contain_text(ends.strftime("%-d %b %Y"))
    with scopes_disabled():
        assert RoleAssignment.objects.get(pk=tenant_a.role.pk).end == ends

    site.follow("Ended roles")
    site.follow(f"Withdraw the invitation of {tenant_a.invitation.email}")
    expect(page.locator("h1")).to_have_text(f"Withdraw the invitation of {tenant_a.invitation.full_name}?")
    site.submit("Withdraw invitation", status=200, name="invitation-withdrawn")
    expect(banner(page)).to_contain_text(f"The invitation of {tenant_a.invitation.email} was withdrawn")
    expect(page.get_by_role("table", name="Invitations waiting for a reply")).not_to_contain_text(
        tenant_a.invitation.email
    )
    site.follow("Audit trail")
    activity = page.get_by_role("region", name="Audit trail")
    expect(activity).to_contain_text("dana@school.example")
    site.follow("Settings")
    expect(page.locator("h1")).to_have_text("Partnership settings")


def test_coordinator_requires_two_factor_and_sets_it_up(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator)
    site.visit(f"/p/{slug}/settings/")
    page.get_by_label("Require two-factor authentication for coordinators").check()
    site.submit("Save settings", status=200, name="settings-saved")
    with scopes_disabled():
        assert Partnership.objects.get(pk=tenant_a.partnership.pk).require_mfa_for_coordinators

    # The coordinator now has to set up an app before the partnership opens; allauth first asks
    # for the password again.
    assert site.path == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    expect(banner(page).first).to_contain_text("Settings saved")
    expect(page.get_by_role("region", name="Important")).to_contain_text("requires coordinators to use two-factor")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    site.submit("Continue", status=200)

    assert site.path == "/accounts/2fa/totp/activate/"
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    page.get_by_label("Code from your authenticator app").fill("000000")
    site.submit("Turn on two-factor authentication", status=200, name="totp-wrong-code")
    expect(error_summary(page)).to_be_visible()
    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    site.submit("Turn on two-factor authentication", status=200)

    assert site.path == "/accounts/2fa/recovery-codes/"
    expect(page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")).to_have_count(10)
    site.submit("Continue", status=200)
    assert site.path == f"/p/{slug}/"
    site.follow("Two-factor authentication")
    expect(page.locator("main")).to_contain_text("You sign in with a code from your authenticator app")


def test_person_in_two_partnerships_chooses_one(site, tenant_a, tenant_b):
    with scopes_disabled():
        person = UserFactory(full_name="Sam Both")
        give_role(person, tenant_a.partnership, Role.CHAIR)
        give_role(person, tenant_b.partnership, Role.HEADTEACHER, tenant_b.schools[0])
    site.login(person, expect_url="/")
    expect(site.page.locator("h1")).to_have_text("Your partnerships")
    expect(site.page.get_by_role("link", name="Alpha Partnership")).to_be_visible()
    site.follow("Beta Partnership")
    assert site.path == f"/p/{tenant_b.slug}/"
    expect(site.page.get_by_role("region", name="Beta Partnership")).to_be_visible()
    account = site.page.get_by_role("navigation", name="Your account")
    expect(account).to_contain_text(f"(Headteacher, {tenant_b.schools[0].name})")


def test_headteacher_cannot_invite(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    menu = page.get_by_role("navigation", name="Partnership menu")
    expect(menu.get_by_role("link")).to_have_text(
        [
            "Dashboard",
            "Members",
            "Membership",
            "People and roles",
            "Meetings",
            "Finance",
            "Reports",  # their school's governors' reports, which the headteacher releases
            "Governance",
            "Constitution",
            "Agreement",
        ]
    )
    site.follow("People and roles")
    expect(page.get_by_role("button", name="Invite a person")).to_have_count(0)
    expect(page.get_by_role("link", name="End role", exact=False)).to_have_count(0)
    site.visit(f"/p/{slug}/people/invite/", status=403, name="invite-forbidden")
    expect(page.locator("h1")).to_have_text("You do not have permission to see this page")


def test_invitee_accepts_and_lands_signed_in(site, tenant_a):
    page = site.page
    site.visit(reverse("invitation_accept", args=[tenant_a.invitation.token]), name="invitation")
    expect(page.locator("main")).to_contain_text("You have been invited to be governor")
    expect(page.get_by_label("Your full name")).to_have_value("Invited Person")

    page.get_by_label("Create a password").fill("a-good-long-password-9")
    page.get_by_label("Confirm your password").fill("a-different-password-9")
    site.submit("Create account and accept", status=400, name="invitation-mismatch")
    expect(page.locator("#id_password2-error")).to_contain_text("The passwords do not match")

    page.get_by_label("Create a password").fill("a-good-long-password-9")
    page.get_by_label("Confirm your password").fill("a-good-long-password-9")
    site.submit("Create account and accept", status=200, name="invitation-accepted")
    assert site.path == f"/p/{tenant_a.slug}/"
    expect(banner(page)).to_contain_text("Welcome to Alpha Partnership")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Signed in as Invited Person")


def test_pages_without_signing_in(site, tenant_a):
    page = site.page
    site.visit("/accounts/login/")
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator("main")).not_to_contain_text("sign up", ignore_case=True)
    expect(page.get_by_role("button", name="Show password")).to_be_visible()

    page.get_by_label("Email address").fill(tenant_a.coordinator.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    site.submit("Sign in", status=200, name="sign-in-wrong-password")
    expect(page).to_have_title("Error: Sign in – Commonroom")
    expect(error_summary(page)).to_contain_text("not correct")

    site.follow("I have forgotten my password")
    expect(page.locator("h1")).to_have_text("Reset your password")
    page.get_by_label("Email address").fill(tenant_a.coordinator.email)
    site.submit("Send the link", status=200)
    expect(page.locator("h1")).to_have_text("Check your email")

    site.visit("/accounts/password/reset/key/1-not-a-key/", name="reset-link-broken")
    expect(page.locator("h1")).to_have_text("This link does not work")
    site.visit("/accounts/signup/")
    expect(page.locator("h1")).to_have_text("You need an invitation")
    site.visit("/privacy/")
    site.follow("Accessibility statement")
    site.visit("/no-such-page/", status=404)
    expect(page.locator("h1")).to_have_text("Page not found")
    site.visit(f"/p/{tenant_a.slug}/people/", name="people-asks-sign-in")
    assert site.path == f"/accounts/login/?next=/p/{tenant_a.slug}/people/"


def test_account_pages(site, tenant_a):
    page = site.page
    site.login(tenant_a.headteacher)
    site.follow("Two-factor authentication")
    expect(page.locator("h1")).to_have_text("Two-factor authentication")
    site.submit("Set up an authenticator app")  # a link that looks like a button
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    site.submit("Continue", status=200)
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code for your Commonroom account")).to_be_visible()

    site.follow("Change password")
    expect(page.locator("h1")).to_have_text("Change your password")
    page.get_by_label("Current password", exact=True).fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm your new password").fill("short")
    site.submit("Change password", status=200, name="change-password-too-short")
    expect(page.locator("#id_password1-error")).to_contain_text("too short")
    page.get_by_label("Current password", exact=True).fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("another-long-password-2")
    page.get_by_label("Confirm your new password").fill("another-long-password-2")
    site.submit("Change password", status=200, name="password-changed")
    expect(banner(page)).to_contain_text("Password successfully changed")

    site.follow("Sign out")
    expect(page.locator("h1")).to_have_text("Sign out")
    site.submit("Sign out", status=200, name="signed-out")
    expect(page.get_by_role("navigation", name="Your account")).to_have_count(0)
    site.login(tenant_a.headteacher.email, "another-long-password-2", expect_url=f"/p/{tenant_a.slug}/")


def test_phone_width(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    page.set_viewport_size(PHONE)
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")  # the harness checks for sideways scrolling
    menu_button = page.get_by_role("button", name="Menu")
    links = page.get_by_role("navigation", name="Partnership menu").get_by_role("link")
    expect(menu_button).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(links.first).to_be_hidden()
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(links).to_have_text(
        [
            "Dashboard",
            "Members",
            "Membership",
            "People and roles",
            "Meetings",
            "Finance",
            "Reports",
            "Subscriptions",  # the coordinator's, to set up plans; others see it once a plan exists
            "Governance",
            "Constitution",
            "Agreement",
            "Audit trail",
            "Settings",
        ]
    )
    site.check("dashboard-menu-open")
    site.follow("People and roles")
    assert site.path == f"/p/{slug}/people/"
    site.visit(f"/p/{slug}/people/invite/")
    site.visit(f"/p/{slug}/activity/")


def test_dashboards_show_their_charts_at_a_glance_with_the_figures_as_tables(site, tenant_a):
    """The coordinator's, a headteacher's and the chair's dashboards with every chart: axe checks each with
    the tables in the details closed and open."""
    from decimal import Decimal

    from django.db import transaction
    from django_scopes import scope

    from finance.models import BudgetLine
    from finance.services.spending import expense_record
    from partnerships.calendar import academic_year_of
    from partnerships.models import Constitution
    from subscriptions.services.credits import credit_append
    from tests.factories.finance import funded_year
    from tests.factories.meetings import AgendaItemFactory, MeetingFactory, year_of_attendance
    from tests.factories.subscriptions import subscribed

    page, slug = site.page, tenant_a.slug
    first, second = tenant_a.schools
    year_of_attendance(tenant_a, {first: ["present", "substitute", "present"], second: ["apologies", "absent", None]})
    year, _ = funded_year(tenant_a, confirm=False)
    with scope(partnership=tenant_a.partnership):
        expense_record(
            actor=tenant_a.coordinator,
            year=year,
            budget_line=BudgetLine.objects.get(year=year, category="events"),
            amount=Decimal("120.00"),
            spent_on=year.starts,
            supplier="Exeter Coaches Ltd",
            description="Coaches",
        )
    subscription = subscribed(tenant_a, year=academic_year_of(timezone.localdate()))
    with scopes_disabled(), transaction.atomic():
        credit_append(subscription=subscription, kind="booking", amount=Decimal("-12"), description="Visit")
    today = timezone.localdate()
    chair = UserFactory(full_name="Chair Person")
    give_role(
        chair,
        tenant_a.partnership,
        Role.CHAIR,
        start=today - datetime.timedelta(days=300),
        end=today + datetime.timedelta(days=60),
    )
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(
            chair_term_years=1, chair_max_consecutive_years=2
        )
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, chair=chair)
        AgendaItemFactory(meeting=meeting, title="Budget for next year", decision_needed=True)

    for person, sections in (
        (tenant_a.coordinator, ["#attendance-map", "#budget-chart", "#credits-chart"]),
        (tenant_a.headteacher, ["#credits-chart"]),
        (chair, ["#as-chair", "#attendance-map"]),
    ):
        page.context.clear_cookies()
        site.login(person, expect_url=f"/p/{slug}/")
        for section in sections:
            expect(page.locator(section)).to_be_visible()
        expect(page.locator("svg.cr-chart")).to_have_count(len([s for s in sections if s != "#as-chair"]))
        for summary in page.locator("main details summary").all():
            summary.click()
        site.check(f"dashboard-charts-open-{person.pk}")
    expect(page.locator("#as-chair")).to_contain_text("Your term as chair ends on")
    expect(page.locator("#as-chair")).to_contain_text("Next election due by")
    expect(page.locator("#chairs-decisions")).to_contain_text("Budget for next year")
