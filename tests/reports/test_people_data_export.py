"""The people's data list downloads as CSV and XLSX for the coordinator: everyone with a role here, past
or present, and nobody of another partnership; formula-looking names disarmed; constant queries."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.roles import Role
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, fmt):
    return reverse("reports:people_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def test_the_list_downloads_everyone_with_a_role_here_only(tenant_a, tenant_b):
    governor = UserFactory(full_name=FORMULA, is_active=False)
    with scopes_disabled():
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[0])
    client = signed_in(tenant_a.coordinator)

    rows = csv_rows(client.get(_url(tenant_a, "csv")))
    assert rows[0] == ["Name", "Email", "Account"]
    assert ["'" + FORMULA, governor.email, "Erased or closed"] in rows
    emails = {row[1] for row in rows[1:]}
    assert {tenant_a.coordinator.email, tenant_a.headteacher.email} <= emails
    assert tenant_b.headteacher.email not in emails

    sheet = xlsx_rows(client.get(_url(tenant_a, "xlsx")))
    assert sheet[1:] == [tuple(row) for row in rows[1:]]


def test_only_the_coordinator_downloads_it(tenant_a):
    assert signed_in(tenant_a.headteacher).get(_url(tenant_a, "csv")).status_code == 403


def test_the_download_runs_the_same_queries_however_many_people(tenant_a):
    def grow():
        for _ in range(30):
            give_role(UserFactory(), tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1])

    assert_constant_queries(signed_in(tenant_a.coordinator), _url(tenant_a, "xlsx"), grow=grow, at_most=8)


def test_the_page_links_to_its_downloads(tenant_a):
    page = signed_in(tenant_a.coordinator).get(reverse("reports:people", kwargs={"partnership_slug": tenant_a.slug}))
    assert _url(tenant_a, "xlsx") in page.content.decode()
