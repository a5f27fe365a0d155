"""The demo: census figures, budgets and people for every seed school, made once however often it runs."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import User
from partnerships.demo import seeds
from partnerships.demo.schools import census_years
from partnerships.models import Membership
from schools.models import Budget, Census, Person

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Census.objects.values_list("school__urn", "year", "headcount", "fte")),
        sorted(Budget.objects.values_list("school__urn", "financial_year", "amount")),
        sorted(
            Person.objects.values_list("partnership__slug", "school__urn", "email", "full_name", "position", "user_id")
        ),
    )


@pytest.fixture
def demo(today):
    """The demo loaded twice; returns what the first run made (fixtures run with scopes disabled)."""
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return first


def test_running_the_demo_twice_changes_nothing(demo):
    with scopes_disabled():
        assert _snapshot() == demo


def test_every_demo_school_has_two_januarys_of_census_figures_and_budgets(demo, today):
    years = census_years(today)
    with scopes_disabled():
        urns = set(Membership.objects.values_list("school__urn", flat=True))
        for urn in urns:
            censuses = {c.year: c for c in Census.objects.filter(school__urn=urn)}
            assert set(years) <= set(censuses), urn
            for census in censuses.values():
                assert 0 < census.fte <= census.headcount, census
            assert Budget.objects.filter(school__urn=urn).count() >= 2, urn
        # Part-time nursery pupils: the nursery school's FTE is well below its headcount.
        nursery = Census.objects.get(school__urn=990205, year=years[0])
        assert nursery.fte < nursery.headcount * 0.8
        # Secondary schools are bigger than primaries.
        assert Census.objects.get(school__urn=990112, year=years[0]).headcount > 700


def test_heart_of_manchester_schools_all_have_fte_for_the_per_fte_contribution(demo, today):
    spec = next(s for s in seeds.PARTNERSHIPS if s["slug"] == "heart-of-manchester")
    with scopes_disabled():
        for urn, *_ in spec["schools"]:
            assert Census.objects.filter(school__urn=urn, year=census_years(today)[0], fte__gt=0).exists(), urn


def test_each_school_has_its_people_linked_to_the_demo_logins(demo):
    with scopes_disabled():
        for spec in seeds.PARTNERSHIPS:
            for index, (urn, _, phase, _) in enumerate(spec["schools"]):
                people = {p.position: p for p in Person.objects.filter(partnership__slug=spec["slug"], school__urn=urn)}
                head_user = User.objects.get(email=f"head.{urn}@schools.example")
                assert people["headteacher"].user == head_user
                assert people["headteacher"].full_name == head_user.full_name
                for position in ("deputy_head", "business_manager", "chair_of_governors"):
                    assert position in people, (urn, position)
                assert ("eyfs_lead" in people) == (phase in {"nursery", "infant", "primary"}), urn
                if index == 0:
                    for position, prefix in (("deputy_head", "deputy"), ("chair_of_governors", "chair-governors")):
                        assert people[position].user.email == f"{prefix}.{urn}@schools.example"
            finance = Person.objects.get(
                partnership__slug=spec["slug"], school__urn=spec["finance_school"], position="business_manager"
            )
            assert finance.user.email == f"finance@{spec['slug']}.example"
