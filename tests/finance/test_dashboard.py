"""The dashboard's warning of overdue contributions, for those who record the partnership's money."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope

from core.testing import assert_constant_queries
from finance.models import ContributionRequest, Payment
from finance.services.contributions import payment_record
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.partnerships import MembershipFactory, give_role

pytestmark = pytest.mark.django_db

D = datetime.date


def _dashboard(client, tenant) -> str:
    response = client.get(f"/p/{tenant.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_is_warned_of_overdue_contributions_with_what_is_outstanding(tenant_a, client_for):
    _, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))  # £409.00 and £200.00, due 1 April
    with scope(partnership=tenant_a.partnership):
        payment_record(
            actor=tenant_a.coordinator,
            request=requests[0],
            amount=Decimal("100.00"),
            received_on=D(2026, 4, 20),
            method="bank_transfer",
        )
    page = _dashboard(client_for(tenant_a.coordinator), tenant_a)
    assert "2 contributions are overdue, £509.00 outstanding." in page
    assert f'href="/p/{tenant_a.slug}/finance/overdue/"' in page
    # A headteacher sees their own school's statement, not the partnership's arrears.
    assert 'id="overdue-contributions"' not in _dashboard(client_for(tenant_a.headteacher), tenant_a)


def test_no_warning_when_nothing_is_overdue(tenant_a, client_for):
    _, requests = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))
    client = client_for(tenant_a.coordinator)
    for request in requests:
        with scope(partnership=tenant_a.partnership):
            payment_record(
                actor=tenant_a.coordinator,
                request=request,
                amount=request.amount,
                received_on=D(2026, 4, 20),
                method="cheque",
            )
        page = _dashboard(client, tenant_a)
        if request is requests[0]:
            assert "1 contribution is overdue, £200.00 outstanding." in page
    assert 'id="overdue-contributions"' not in _dashboard(client, tenant_a)


def test_the_warning_runs_a_constant_number_of_queries(tenant_a, client_for):
    year, _ = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))

    def grow():
        for number in range(100, 110):
            request = ContributionRequest.objects.create(
                partnership=tenant_a.partnership,
                year=year,
                school=MembershipFactory(partnership=tenant_a.partnership).school,
                number=number,
                dated=D(2026, 3, 20),
                due=D(2026, 4, 1),
                amount=Decimal("50.00"),
                created_by=tenant_a.coordinator,
            )
            Payment.objects.create(
                request=request,
                received_on=D(2026, 4, 2),
                amount=Decimal("10.00"),
                method=Payment.Method.CHEQUE,
                recorded_by=tenant_a.coordinator,
            )

    client = client_for(tenant_a.coordinator)
    assert_constant_queries(client, f"/p/{tenant_a.slug}/", grow=grow)
    assert "12 contributions are overdue, £1,009.00 outstanding." in _dashboard(client, tenant_a)


def test_the_banker_schools_finance_officer_is_warned_and_another_schools_is_not(tenant_a, client_for):
    funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))  # the first school is the banker
    banker_officer, other_officer = UserFactory(), UserFactory()
    give_role(banker_officer, tenant_a.partnership, Role.FINANCE_OFFICER, tenant_a.schools[0])
    give_role(other_officer, tenant_a.partnership, Role.FINANCE_OFFICER, tenant_a.schools[1])
    assert "2 contributions are overdue" in _dashboard(client_for(banker_officer), tenant_a)
    assert 'id="overdue-contributions"' not in _dashboard(client_for(other_officer), tenant_a)
