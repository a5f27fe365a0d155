"""The people page downloads as CSV and XLSX: the roles its tab and search list, with another school's
governors and deputies left out exactly as the page leaves them out, in a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.models.constitution import SharedWith
from partnerships.roles import Role
from partnerships.services.constitution import constitution_update
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, fmt):
    return reverse("partnerships:people_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def _person(tenant, role, school=None, **user):
    person = UserFactory(**user)
    with scopes_disabled():
        give_role(person, tenant.partnership, role, school)
    return person


def test_the_download_keeps_another_schools_governors_private_as_the_page_does(tenant_a, tenant_b, client_for):
    governor = _person(tenant_a, Role.CHAIR_OF_GOVERNORS, tenant_a.schools[0], full_name=FORMULA)
    other_head = _person(tenant_a, Role.HEADTEACHER, tenant_a.schools[1])

    rows = csv_rows(client_for(other_head).get(_url(tenant_a, "csv")))
    assert rows[0] == ["Name", "Email", "Role", "School", "From", "Last day"]
    emails = {row[1] for row in rows[1:]}
    assert tenant_a.headteacher.email in emails and governor.email not in emails
    assert tenant_b.headteacher.email not in emails

    rows = csv_rows(client_for(tenant_a.headteacher).get(_url(tenant_a, "csv")))  # the governor's own school
    governor_row = next(row for row in rows if row[1] == governor.email)
    assert governor_row[0] == "'" + FORMULA and governor_row[3] == tenant_a.schools[0].name

    with scopes_disabled():
        constitution_update(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            changes={"share_staff_contacts": SharedWith.HEADTEACHERS},
            section="information",
        )
    assert governor.email in {row[1] for row in csv_rows(client_for(other_head).get(_url(tenant_a, "csv")))}


def test_the_download_follows_the_tab_and_search_with_dates_as_dates(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    sheet = xlsx_rows(client.get(_url(tenant_a, "xlsx"), {"show": "history"}))
    assert [row[0] for row in sheet[1:]] == ["Alpha Partnership Former Head"]
    assert sheet[1][4:] == (datetime.datetime(2020, 9, 1), datetime.datetime(2023, 8, 31))

    rows = csv_rows(client.get(_url(tenant_a, "csv"), {"q": "coordinator"}))
    assert [row[:3] for row in rows[1:]] == [
        ["Alpha Partnership Coordinator", tenant_a.coordinator.email, "Coordinator"]
    ]


def test_the_download_runs_the_same_queries_however_many_people(tenant_a, client_for):
    def grow():
        for school in tenant_a.schools:
            for _ in range(20):
                give_role(UserFactory(), tenant_a.partnership, Role.GOVERNOR, school)

    assert_constant_queries(client_for(tenant_a.headteacher), _url(tenant_a, "xlsx"), grow=grow, at_most=8)


def test_the_page_links_to_its_downloads_with_its_tab(tenant_a, client_for):
    page = client_for(tenant_a.coordinator).get(
        reverse("partnerships:people", kwargs={"partnership_slug": tenant_a.slug}), {"show": "history"}
    )
    assert f'href="{_url(tenant_a, "csv")}?show=history"' in page.content.decode()
