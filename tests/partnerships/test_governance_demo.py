"""The demo's offices and rotas look like the seed agreements, and loading twice changes nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from partnerships.demo.seeds import this_year
from partnerships.models import Election, Partnership, RoleAssignment, RotaSeat, StrategyRota
from partnerships.roles import ROTA_ROLES, Role
from partnerships.selectors.governance import chair_school, offices_current, strategy_this_and_next

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def _counts():
    with scopes_disabled():
        return (
            Election.objects.count(),
            StrategyRota.objects.count(),
            RotaSeat.objects.count(),
            RoleAssignment.objects.count(),
        )


def test_the_demo_records_the_offices_and_rotas_once(settings):
    _load()
    first = _counts()
    _load()
    assert _counts() == first
    with scopes_disabled():
        exeter = Partnership.objects.get(slug="exeter-beacon")
        chair_terms = list(
            Election.objects.filter(partnership=exeter, office="chair")
            .order_by("term_starts")
            .values_list("term_starts", "elected__email")
        )
        assert [starts for starts, _ in chair_terms] == [datetime.date(this_year() - n, 9, 1) for n in (2, 1, 0)]
        assert {email for _, email in chair_terms} == {"head.990111@schools.example"}
        # Every chair and vice chair role of every partnership came from an election or was ended by one.
        for partnership in Partnership.objects.all():
            current = RoleAssignment.objects.filter(
                partnership=partnership, role__in=[Role.CHAIR, Role.VICE_CHAIR]
            ).active(timezone.localdate())
            assert current.count() == 2, partnership.slug
            assert Election.objects.filter(role__in=current).count() == 2, partnership.slug
        # Strategy group representatives and reserves come only from a confirmed rota: Exeter Beacon's.
        today = timezone.localdate()
        for partnership in Partnership.objects.exclude(slug="exeter-beacon"):
            assert not RoleAssignment.objects.filter(partnership=partnership, role__in=ROTA_ROLES).exists()
        rota = StrategyRota.objects.get(partnership=exeter, confirmed_at__isnull=False)
        held = set(
            RoleAssignment.objects.filter(partnership=exeter, role__in=ROTA_ROLES)
            .active(max(rota.term.starts, today))
            .values_list("user__email", "role")
        )
        assert held == {
            ("head.990102@schools.example", Role.STRATEGY_REP),
            ("deputy.990113@schools.example", Role.STRATEGY_REP),  # substitutes for St Luke's head
            ("head.990114@schools.example", Role.STRATEGY_RESERVE),
            ("head.990103@schools.example", Role.STRATEGY_RESERVE),
        }


def test_exeter_beacons_chair_is_in_their_third_year_and_the_rota_mixes_phases(settings):
    _load()
    with scopes_disabled():
        exeter = Partnership.objects.get(slug="exeter-beacon")
    with scope(partnership=exeter):
        chair = offices_current(exeter, on=timezone.localdate())[Role.CHAIR][0]
        assert chair.user.email == "head.990111@schools.example"
        assert chair.since == datetime.date(this_year() - 2, 9, 1) and chair.year_number == 3
        assert chair_school(exeter, on=timezone.localdate()).urn == 990111
        this_term, next_term = strategy_this_and_next(exeter)
    assert this_term.rota.is_confirmed and next_term.rota and not next_term.rota.is_confirmed
    for group in (this_term, next_term):
        assert len(group.representatives) == 2 and len(group.reserves) == 2
        assert group.warnings == [], group.warnings
        schools = [m.school for m in group.members if m.school]
        assert any(s.is_primary for s in schools) and any(s.is_secondary for s in schools)
    # Next term's representatives are this term's reserves.
    assert [m.school for m in next_term.representatives] == [m.school for m in this_term.reserves]
    assert any(m.substitute for m in this_term.representatives)  # a deputy substitutes for a head


def test_the_coordinator_sees_it_all_on_the_governance_page(settings):
    _load()
    client = Client()
    client.post("/accounts/login/", {"login": "coordinator@exeter-beacon.example", "password": settings.DEMO_PASSWORD})
    body = client.get("/p/exeter-beacon/governance/").content.decode()
    assert f"Chair since 1 September {this_year() - 2}" in body and "Willowbrook Primary School" in body
    assert "Confirmed" in body and "Draft" in body
    offices = client.get("/p/exeter-beacon/governance/offices/").content.decode()
    assert offices.count("Acclamation") >= 1 and "10 votes" in offices
