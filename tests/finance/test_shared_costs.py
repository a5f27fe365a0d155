"""Costs shared activity by activity among the schools taking part: worked out to the penny, shown
before they are confirmed, asked for once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from core.testing import assert_constant_queries
from finance.models import ContributionRequest, SharedCost
from finance.selectors import shared_cost_amounts
from finance.services.contributions import shared_cost_confirm, shared_cost_create
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.finance import funded_year
from tests.factories.partnerships import MembershipFactory
from tests.factories.schools import BudgetFactory, CensusFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _cost(tenant, year, schools, total="1000.00", basis="equal", title="Science week"):
    with scope(partnership=tenant.partnership):
        return shared_cost_create(
            actor=tenant.coordinator, year=year, title=title, total=Decimal(total), basis=basis, schools=schools
        )


def test_a_thousand_pounds_among_seven_schools_adds_up_to_the_penny_and_is_asked_for_once(tenant_a):
    year, _ = funded_year(tenant_a, confirm=False)
    with scopes_disabled():
        schools = [*tenant_a.schools, *(MembershipFactory(partnership=tenant_a.partnership).school for _ in range(5))]
        for school in schools[2:]:
            CensusFactory(school=school, year=year.starts.year)
    cost = _cost(tenant_a, year, schools)
    with scopes_disabled():
        rows = shared_cost_amounts(cost)
    assert sum(row.amount for row in rows) == Decimal("1000.00")
    # 100,000p among 7 is 14,285p each with 5p over: five schools get a penny more.
    assert sorted(row.amount for row in rows) == [Decimal("142.85")] * 2 + [Decimal("142.86")] * 5
    with scope(partnership=tenant_a.partnership):
        requests = shared_cost_confirm(actor=tenant_a.coordinator, cost=cost)
        with pytest.raises(ValidationError, match="not made twice"):
            shared_cost_confirm(actor=tenant_a.coordinator, cost=cost)
    assert len(requests) == 7 and sum(r.amount for r in requests) == Decimal("1000.00")
    assert {r.due - r.dated for r in requests} == {datetime.timedelta(days=30)}
    # The year's own requests are still to be made: a shared cost's requests are not the year's.
    from finance.services.contributions import contribution_requests_confirm

    with scope(partnership=tenant_a.partnership):
        yearly = contribution_requests_confirm(actor=tenant_a.coordinator, year=year)
    assert len(yearly) == 7


def test_five_pence_among_three_schools_by_budget(tenant_a):
    year, _ = funded_year(tenant_a, confirm=False)
    with scopes_disabled():
        third = MembershipFactory(partnership=tenant_a.partnership).school
        schools = [*tenant_a.schools, third]
        for school in schools:
            BudgetFactory(school=school, financial_year=year.starts.year, amount=Decimal("1000000.00"))
    cost = _cost(tenant_a, year, schools, total="0.05", basis="budget_share")
    with scopes_disabled():
        amounts = sorted((row.amount, row.school.urn) for row in shared_cost_amounts(cost))
    # Equal budgets: 5p / 3 = 1p each and 2p over, to the two lowest URNs.
    assert sum(amount for amount, _ in amounts) == Decimal("0.05")
    low_urns = sorted(school.urn for school in schools)[:2]
    assert sorted(urn for amount, urn in amounts if amount == Decimal("0.02")) == low_urns


def test_a_school_that_is_not_a_member_cannot_share_and_nothing_is_written(tenant_a):
    year, _ = funded_year(tenant_a, confirm=False)
    with scopes_disabled():
        outsider = SchoolFactory(name="Elsewhere Primary")
    with pytest.raises(ValidationError) as raised:
        _cost(tenant_a, year, [tenant_a.schools[0], outsider])
    assert "Elsewhere Primary is not a member during" in raised.value.message_dict["schools"][0]
    with pytest.raises(ValidationError) as raised:
        _cost(tenant_a, year, [tenant_a.schools[0]], total="0.001")
    assert "pounds and pence" in raised.value.message_dict["total"][0]
    with scopes_disabled():
        assert not SharedCost.objects.exists()


def test_the_page_shows_the_shares_before_anything_is_asked_and_missing_budgets_confirm_nothing(tenant_a, client_for):
    year, _ = funded_year(tenant_a, confirm=False)
    client = client_for(tenant_a.coordinator)
    response = client.post(
        f"/p/{tenant_a.slug}/finance/{year.pk}/costs/new/",
        {
            "title": "Science week",
            "total": "1200.00",
            "basis": "budget_share",
            "schools": [s.pk for s in tenant_a.schools],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "There are no budgets for" in page and "Confirm and ask the schools" not in page
    with scopes_disabled():
        for school in tenant_a.schools:
            BudgetFactory(school=school, financial_year=year.starts.year, amount=Decimal("600000.00"))
        assert not ContributionRequest.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert page.count(">£600.00<") == 2 and "Confirm and ask the schools" in page
    assert client.post(response["Location"]).status_code == 302
    with scopes_disabled():
        assert ContributionRequest.objects.filter(activity__isnull=False).count() == 2


def test_a_shared_costs_requests_and_the_schools_balances_download(tenant_a, client_for):
    import csv
    import io

    year, _ = funded_year(tenant_a, confirm=False)
    cost = _cost(tenant_a, year, list(tenant_a.schools), total="100.00")
    with scope(partnership=tenant_a.partnership):
        shared_cost_confirm(actor=tenant_a.coordinator, cost=cost)
    client = client_for(tenant_a.coordinator)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/p/{tenant_a.slug}/finance/costs/{cost.pk}/export.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert [row[2] for row in rows[1:]] == ["50.00", "50.00"]
    balances = client.get(f"/p/{tenant_a.slug}/finance/statements/export.csv").content.decode("utf-8-sig")
    assert balances.count("50.00") >= 2 and tenant_a.schools[1].name in balances
    head = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/finance/statements/export.csv")
    assert tenant_a.schools[0].name in head.content.decode("utf-8-sig")
    assert tenant_a.schools[1].name not in head.content.decode("utf-8-sig")


def test_the_years_shared_costs_download_as_the_page_lists_them(tenant_a, tenant_b, client_for):
    year, _ = funded_year(tenant_a, confirm=False)
    asked = _cost(tenant_a, year, list(tenant_a.schools), total="100.00", title='=HYPERLINK("x")')
    with scope(partnership=tenant_a.partnership):
        shared_cost_confirm(actor=tenant_a.coordinator, cost=asked)
    _cost(tenant_a, year, [tenant_a.schools[0]], total="12.34", title="Coach hire")
    client = client_for(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/finance/{year.pk}/costs/export."
    assert url + "csv" in client.get(f"/p/{tenant_a.slug}/finance/{year.pk}/costs/").content.decode()

    rows = csv_rows(client.get(url + "csv"))
    assert rows[0] == ["Cost", "Shared", "Schools", "Total", "Schools asked on"]
    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("x")', "Coach hire"]
    assert rows[1][2:4] == ["2", "100.00"] and rows[2][2:] == ["1", "12.34", ""]
    sheet = xlsx_rows(client.get(url + "xlsx"))
    assert sheet[1][2:4] == (2, Decimal("100")) and isinstance(sheet[1][4], datetime.datetime)
    assert client_for(tenant_a.headteacher).get(url + "csv").status_code == 403
    year_b, _ = funded_year(tenant_b, confirm=False)
    assert client.get(f"/p/{tenant_a.slug}/finance/{year_b.pk}/costs/export.csv").status_code == 404


def test_the_shared_costs_download_runs_the_same_queries_however_many(tenant_a, client_for):
    year, _ = funded_year(tenant_a, confirm=False)
    _cost(tenant_a, year, list(tenant_a.schools))
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        f"/p/{tenant_a.slug}/finance/{year.pk}/costs/export.xlsx",
        grow=lambda: [_cost(tenant_a, year, list(tenant_a.schools), title=f"Cost {n}") for n in range(20)],
        at_most=10,
    )
