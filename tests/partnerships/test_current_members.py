""" "Current member on a day" has one definition, `Membership.objects.current(on)`: every page that lists
or counts members uses it, so a school joining next month is neither listed as current nor counted,
and a school is a member up to and including its last day."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from partnerships.models import Membership
from partnerships.selectors.constitution import member_school_count, membership_counts, memberships_filtered
from partnerships.selectors.members import directory
from partnerships.selectors.people import member_counts, members_current
from tests.factories.partnerships import MembershipFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def joining(tenant_a, today):
    """A primary school that joins next month, and one secondary school whose last day is today."""
    with scopes_disabled():
        later = MembershipFactory(
            partnership=tenant_a.partnership, school=SchoolFactory(phase="primary"), joined=today + DAY * 30
        )
        leaving = MembershipFactory(
            partnership=tenant_a.partnership,
            school=SchoolFactory(phase="secondary"),
            joined=today - DAY * 400,
            left=today,
        )
    return later, leaving


def _current_pks(tenant, on):
    with scopes_disabled():
        return set(Membership.objects.filter(partnership=tenant.partnership).current(on).values_list("pk", flat=True))


def test_every_list_and_count_agrees_with_the_one_rule(tenant_a, today, joining):
    later, leaving = joining
    for on in (today, today + DAY, today + DAY * 30):
        expected = _current_pks(tenant_a, on)
        with scope(partnership=tenant_a.partnership):
            assert {m.pk for m in memberships_filtered("current", on)} == expected
            counts = membership_counts(on)
            assert counts["current"] == len(expected) == member_school_count(on)
            listed = {m.pk for m in memberships_filtered("leaving", on)} | {
                m.pk for m in directory(status="active", on=on)
            }
            assert listed <= expected
            assert counts["leaving"] == len(list(memberships_filtered("leaving", on)))
            assert counts["left"] == len(list(memberships_filtered("left", on)))
    with scope(partnership=tenant_a.partnership):
        assert later.pk not in {m.pk for m in memberships_filtered("current", today)}
        assert later.pk in {m.pk for m in memberships_filtered("current", today + DAY * 30)}
        assert leaving.pk in {m.pk for m in memberships_filtered("current", today)}
        assert leaving.pk in {m.pk for m in memberships_filtered("left", today + DAY)}


def test_a_school_joining_next_month_is_neither_listed_as_current_nor_counted(tenant_a, today, joining, client_for):
    later, _ = joining
    with scope(partnership=tenant_a.partnership):
        assert later not in members_current()
        assert member_counts()["total"] == len(_current_pks(tenant_a, today)) == 3
        assert member_counts()["secondary"] == 1  # the leaving school, on its last day
        assert later not in directory(status="active") and later not in directory(status="leaving")
        assert later in directory()  # the directory's "All" still shows it, as joining
    assert later.status(today) == "joining"

    client = client_for(tenant_a.coordinator)
    dashboard = client.get(f"/p/{tenant_a.slug}/")
    assert dashboard.context["counts"]["total"] == 3
    page = client.get(f"/p/{tenant_a.slug}/membership/")
    assert later not in page.context["page_obj"].object_list
    assert dict((key, n) for key, _, n in page.context["filters"])["current"] == 3
    body = client.get(f"/p/{tenant_a.slug}/members/").content.decode()
    assert f"Joining on {later.joined:%-d %B %Y}" in body
