"""The demo sets up Heart of Manchester's groups and Exeter Beacon's development areas as their agreements
say, declarations of interests everywhere, and loading it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import User
from partnerships.calendar import academic_year_of
from partnerships.models import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Group,
    GroupMember,
    Interest,
    InterestDeclaration,
    Partnership,
)
from partnerships.selectors.development import participation_for_year
from partnerships.selectors.groups import groups_overview
from partnerships.selectors.interests import MISSING, OUT_OF_DATE, register
from schools.models import Person

pytestmark = pytest.mark.django_db
MODELS = (
    Group,
    GroupMember,
    DevelopmentArea,
    DevelopmentAction,
    DevelopmentMilestone,
    AreaParticipation,
    InterestDeclaration,
    Interest,
    Person,
)


def counts():
    with scopes_disabled():
        return [model.objects.count() for model in MODELS]


@pytest.fixture
def demo(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    with scopes_disabled():
        return {p.slug: p for p in Partnership.objects.all()}


def test_loading_the_demo_twice_adds_nothing(demo):
    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_heart_of_manchester_has_its_three_standing_groups_with_their_chairing_rules(demo):
    hom = demo["heart-of-manchester"]
    with scope(partnership=hom):
        overview = groups_overview()
    standing = {g.name: g for g in overview["standing"]}
    assert set(standing) == {"Deputy and Assistant Heads Network", "EYFS Network", "Business Managers Network"}
    deputies = standing["Deputy and Assistant Heads Network"]
    assert deputies.chairing == Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL
    # The partnership chair leads Claremont: its deputy chairs the network.
    assert deputies.current_chair.person.position == Person.Position.DEPUTY_HEAD
    assert deputies.current_chair.person.school.name == "Claremont Primary School"
    for name, host in (("EYFS Network", "Martenscroft"), ("Business Managers Network", "Rolls Crescent")):
        group = standing[name]
        assert group.chairing == Group.Chairing.HOST_SCHOOL
        assert group.host_school.name.startswith(host)
        assert group.current_chair.person.school == group.host_school
        assert group.member_count == 8
    task = overview["task_current"][0]
    assert task.remit and task.ends and task.reports_to == "The strategic group"
    assert task.current_chair.person is not None
    assert overview["task_ended"], "an ended task group shows the history"


def test_exeter_beacon_has_five_areas_and_one_school_below_the_minimum(demo):
    eb = demo["exeter-beacon"]
    year = academic_year_of(timezone.localdate())
    with scope(partnership=eb):
        areas = list(DevelopmentArea.objects.filter(academic_year=year).select_related("coordinator"))
        assert len(areas) == 5
        for area in areas:
            assert area.coordinator.position == Person.Position.HEADTEACHER
            assert 2 <= DevelopmentAction.objects.filter(area=area).count() <= 3
            assert DevelopmentMilestone.objects.filter(area=area).count() == 2
        for participation in AreaParticipation.objects.filter(area__in=areas).select_related("lead"):
            assert participation.lead.school_id == participation.school_id
        year_participation = participation_for_year(eb, year)
    assert (year_participation.minimum, year_participation.target) == (3, 5)
    assert len(year_participation.schools) == 14
    below = year_participation.below_minimum
    assert [row.count for row in below] == [2]
    assert all(row.count >= 3 for row in year_participation.schools if row not in below)


def test_every_partnership_has_declarations_with_a_few_missing_or_out_of_date(demo):
    for partnership in demo.values():
        with scope(partnership=partnership):
            rows = register(partnership)
        states = [row.state for row in rows]
        assert states.count(MISSING) >= 1, partnership.slug
        assert states.count(MISSING) + states.count(OUT_OF_DATE) < len(rows) / 3, partnership.slug
    with scopes_disabled():
        assert Interest.objects.filter(kind=Interest.Kind.PECUNIARY).exists()
        assert InterestDeclaration.objects.filter(nothing_to_declare=True).exists()


def test_the_demo_pages_open_for_their_coordinators(demo, settings):
    for slug, paths in {
        "heart-of-manchester": ["groups/", "interests/register/"],
        "exeter-beacon": ["development/", "development/participation/", "interests/"],
    }.items():
        client = Client()
        client.force_login(User.objects.get(email=f"coordinator@{slug}.example"))
        for path in paths:
            assert client.get(f"/p/{slug}/{path}").status_code == 200, (slug, path)
    body = client.get("/p/exeter-beacon/development/participation/").content.decode()
    assert "Below the minimum" in body
