"""More of the partnership's lists download as CSV and XLSX, each under its page's permission and with
its page's filters: the register of interests (leaders only; everyone or those due)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from partnerships.roles import Role
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import DeclarationFactory, InterestFactory, give_role

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, name, fmt, **kwargs):
    return reverse(name, kwargs={"partnership_slug": tenant.slug, "fmt": fmt, **kwargs})


# --- The register of interests ------------------------------------------------------------------------------


def test_the_register_downloads_each_declaration_with_its_interests(tenant_a, tenant_b, client_for):
    today = timezone.localdate()
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.headteacher, nothing_to_declare=False, declared_on=today
    )
    InterestFactory(declaration=declaration, description=FORMULA)
    InterestFactory(declaration=declaration, description="Governor of Brook Primary", kind="other")
    DeclarationFactory(partnership=tenant_b.partnership, user=tenant_b.headteacher)
    client = client_for(tenant_a.coordinator)

    rows = csv_rows(client.get(_url(tenant_a, "interests:register_export", "csv")))
    assert rows[0] == ["Name", "Email", "Status", "Roles", "Declared", "Interests"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {tenant_a.coordinator.full_name, tenant_a.headteacher.full_name}
    head = by_name[tenant_a.headteacher.full_name]
    assert head[2:5] == ["Up to date", f"Headteacher, {tenant_a.schools[0].name}", today.isoformat()]
    assert head[5] == f"'{FORMULA} (pecuniary)\nGovernor of Brook Primary (other)"
    assert by_name[tenant_a.coordinator.full_name][2:] == ["Missing", "Coordinator", "", "None recorded"]

    sheet = xlsx_rows(client.get(_url(tenant_a, "interests:register_export", "xlsx"), {"show": "due"}))
    assert [row[0] for row in sheet[1:]] == [tenant_a.coordinator.full_name]


def test_a_formula_at_the_start_of_a_register_cell_is_disarmed(tenant_a, client_for):
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.headteacher, nothing_to_declare=False
    )
    InterestFactory(declaration=declaration, description=FORMULA)
    tenant_a.headteacher.full_name = "@SUM(1+1)"
    tenant_a.headteacher.save()
    sheet = xlsx_rows(client_for(tenant_a.coordinator).get(_url(tenant_a, "interests:register_export", "xlsx")))
    head = next(row for row in sheet if row[1] == tenant_a.headteacher.email)
    assert head[0] == "'@SUM(1+1)" and head[5].startswith("'=HYPERLINK")
    assert isinstance(head[4], datetime.datetime)


def test_a_headteacher_cannot_download_the_register(tenant_a, client_for):
    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "interests:register_export", "csv"))
    assert response.status_code == 403


def test_the_register_download_runs_the_same_queries_however_many_declare(tenant_a, client_for):
    InterestFactory(declaration=DeclarationFactory(partnership=tenant_a.partnership, user=tenant_a.headteacher))

    def grow():
        for _ in range(20):
            user = UserFactory()
            give_role(user, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1])
            declaration = DeclarationFactory(partnership=tenant_a.partnership, user=user, nothing_to_declare=False)
            InterestFactory(declaration=declaration)

    assert_constant_queries(
        client_for(tenant_a.coordinator), _url(tenant_a, "interests:register_export", "xlsx"), grow=grow, at_most=10
    )
