"""What counts as primary or secondary is defined once, by School.PRIMARY_PHASES / SECONDARY_PHASES:
the dashboard's counts and the strategy group's warnings both follow it, for every phase."""

import pytest
from django_scopes import scope, scopes_disabled

from partnerships.selectors.governance import member_phases, school_phases
from partnerships.selectors.people import member_counts
from schools.models import School
from tests.factories.partnerships import MembershipFactory, PartnershipFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_definition_covers_middle_and_all_through_schools_as_both():
    assert School.PRIMARY_PHASES >= {"nursery", "infant", "junior", "primary", "middle", "all_through"}
    assert School.SECONDARY_PHASES >= {"secondary", "middle", "all_through"}
    assert (School.PRIMARY_PHASES | School.SECONDARY_PHASES) <= set(School.Phase.values)


@pytest.mark.parametrize("phase", School.Phase.values)
def test_the_dashboard_counts_and_the_strategy_warnings_agree_with_the_school(phase, today):
    partnership = PartnershipFactory()
    with scopes_disabled():
        school = SchoolFactory(phase=phase)
        MembershipFactory(partnership=partnership, school=school)
    with scope(partnership=partnership):
        counts = member_counts()
        phases = member_phases(partnership, today)
    assert counts["total"] == 1
    assert counts["primary"] == int(school.is_primary)
    assert counts["secondary"] == int(school.is_secondary)
    assert counts["other"] == int(not (school.is_primary or school.is_secondary)), "every phase counts"
    assert phases == school_phases(school)
    assert ("primary" in phases, "secondary" in phases) == (school.is_primary, school.is_secondary)


def test_the_dashboard_says_a_middle_school_is_both(client_for, tenant_a):
    with scopes_disabled():
        MembershipFactory(partnership=tenant_a.partnership, school=SchoolFactory(phase=School.Phase.MIDDLE))
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/").content.decode()
    # The tenant's two primary schools and the middle school.
    assert "3 schools: 3 primary phase, 1 secondary." in body


def test_the_dashboard_counts_a_special_school_too(client_for, tenant_a):
    with scopes_disabled():
        MembershipFactory(partnership=tenant_a.partnership, school=SchoolFactory(phase=School.Phase.SPECIAL))
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/").content.decode()
    assert "3 schools: 2 primary phase, 0 secondary, 1 special or other." in body
