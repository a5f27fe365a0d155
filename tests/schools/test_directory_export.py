"""The member schools directory downloads as CSV and XLSX: the schools the page's search finds, with
what the page shows and nothing a school keeps private, URNs as numbers and join dates as dates."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.roles import Role
from schools.models import School
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, give_role
from tests.factories.schools import CensusFactory, SchoolFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, fmt):
    return reverse("members:directory_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def _member(tenant, **school):
    with scopes_disabled():
        return MembershipFactory(partnership=tenant.partnership, school=SchoolFactory(**school)).school


def test_the_download_holds_the_searched_schools_with_formulas_disarmed(tenant_a, tenant_b, client_for):
    evil = _member(tenant_a, name=FORMULA, phase=School.Phase.SECONDARY)
    with scopes_disabled():
        CensusFactory(school=evil)  # private figures the directory never shows
    client = client_for(tenant_a.headteacher)

    rows = csv_rows(client.get(_url(tenant_a, "csv")))
    assert rows[0] == ["School", "Status", "URN", "Phase", "Local authority", "Joined"]
    names = [row[0] for row in rows[1:]]
    assert names == sorted([*(school.name for school in tenant_a.schools), "'" + FORMULA])
    assert not {school.name for school in tenant_b.schools} & set(names)
    assert ["'" + FORMULA, "Active", str(evil.urn), "Secondary", "Devon", "2020-09-01"] in rows

    sheet = xlsx_rows(client.get(_url(tenant_a, "xlsx"), {"phase": School.Phase.SECONDARY}))
    assert sheet[1:] == [("'" + FORMULA, "Active", evil.urn, "Secondary", "Devon", datetime.datetime(2020, 9, 1))]


def test_a_search_the_page_refuses_sends_the_reader_back(tenant_a, client_for):
    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "csv"), {"phase": "nursery-and-beyond"})
    assert response.status_code == 302 and "/members/?phase=" in response["Location"]


def test_an_observer_downloads_the_directory_too(tenant_a, client_for):
    observer = UserFactory()
    with scopes_disabled():
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    assert len(csv_rows(client_for(observer).get(_url(tenant_a, "csv")))) == 3


def test_the_download_runs_the_same_queries_for_2_and_80_schools(tenant_a, client_for):
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        _url(tenant_a, "xlsx"),
        grow=lambda: [_member(tenant_a) for _ in range(78)],
        at_most=8,
    )


def test_the_page_links_to_its_downloads_with_its_search(tenant_a, client_for):
    page = client_for(tenant_a.headteacher).get(
        reverse("members:directory", kwargs={"partnership_slug": tenant_a.slug}), {"q": "School", "page": "1"}
    )
    assert f'href="{_url(tenant_a, "xlsx")}?q=School"' in page.content.decode()
