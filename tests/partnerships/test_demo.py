from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import ROTA_ROLES, Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_five_seed_partnerships_with_every_role_and_is_idempotent(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    with scopes_disabled():
        counts = (Partnership.objects.count(), User.objects.count(), RoleAssignment.objects.count())
        call_command("load_demo", stdout=open("/dev/null", "w"))
        assert (Partnership.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == counts
        assert counts[0] == 5
        members = {p.slug: Membership.objects.filter(partnership=p).count() for p in Partnership.objects.all()}
        assert members["exeter-beacon"] == 14 and members["heart-of-manchester"] == 8
        assert 9 <= members["swale-lcsp"] <= 11
        names = set(
            Membership.objects.filter(partnership__slug="heart-of-manchester").values_list("school__name", flat=True)
        )
        assert "Rolls Crescent Primary School" in names
        # Heart of Manchester's money: this financial year open at £2 per FTE pupil, with its budget.
        from finance.models import FinancialYear
        from finance.selectors import contribution_amounts

        year = FinancialYear.objects.get(partnership__slug="heart-of-manchester")
        assert (year.scheme.basis, str(year.scheme.rate), year.budget_lines.count()) == ("per_fte", "2.00", 5)
        contributions = contribution_amounts(year.scheme)
        assert len(contributions.rows) == 8 and contributions.total > 0
        # Its requests are made and paid but for one part payment and one school that has paid nothing.
        from finance.selectors import ledger_balance, requests_with_balances

        owed = sorted(r.outstanding / r.amount for r in requests_with_balances(year=year) if r.outstanding)
        assert owed == [Decimal("0.5"), Decimal("1")]
        assert ledger_balance(year.partnership) > 0 and year.income_lines.count() == 2
        # Kingston North shares Science week's cost by budget among the four schools taking part.
        from finance.models import SharedCost

        cost = SharedCost.objects.get(partnership__slug="kingston-north")
        assert sum(r.amount for r in cost.requests.all()) == cost.total and cost.requests.count() == 4
        # EducationKingston's events fall on school days in term, and its forum takes the plan's places.
        from partnerships.selectors.terms import school_day_on_or_after
        from subscriptions.models import Event, PlanForum

        kingston = Partnership.objects.get(slug="education-kingston")
        for event in Event.objects.filter(partnership=kingston):
            assert school_day_on_or_after(kingston, event.day) == event.day, event.title
        forums = set(PlanForum.objects.filter(plan__partnership=kingston).values_list("name", "places_per_school"))
        assert forums == {("School improvement forum", 2), ("Secondary leadership forum", 2)}
        assert Event.objects.get(partnership=kingston, title="School improvement forum").forum in dict(forums)
        for partnership in Partnership.objects.all():
            roles = RoleAssignment.objects.filter(partnership=partnership)
            held = set(roles.active().values_list("role", flat=True))
            # Representatives and reserves come from a confirmed rota, for its term (which, in a holiday, is
            # still to start): only Exeter Beacon's agreement has one.
            held |= set(
                roles.filter(role__in=ROTA_ROLES).exclude(end__lt=timezone.localdate()).values_list("role", flat=True)
            )
            expected = set(Role.values) if partnership.slug == "exeter-beacon" else set(Role.values) - ROTA_ROLES
            assert held == expected, (partnership.slug, expected ^ held)


def test_every_demo_login_signs_in_with_the_demo_password_and_reaches_its_partnership(settings):
    settings.ACCOUNT_RATE_LIMITS = False  # sixty sign-ins from one address in a minute is the test, not an attack
    call_command("load_demo", stdout=open("/dev/null", "w"))
    with scopes_disabled():
        logins = list(
            RoleAssignment.objects.active().select_related("user", "partnership").order_by("user__email").distinct()
        )
    seen = set()
    for assignment in logins:
        if assignment.user.email in seen:
            continue
        seen.add(assignment.user.email)
        client = Client()
        response = client.post("/accounts/login/", {"login": assignment.user.email, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, assignment.user.email
        assert client.get(f"/p/{assignment.partnership.slug}/").status_code == 200
    assert len(seen) > 50
