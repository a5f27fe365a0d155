"""Confirming the year's requests for contribution: numbered, dated, addressed, once per year."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from finance.models import ContributionRequest, Payment
from finance.selectors import requests_with_balances
from finance.services.contributions import contribution_requests_confirm, payment_record
from schools.models import Person
from tests.factories.finance import funded_year
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db


def test_each_member_school_is_asked_for_its_amount_numbered_and_due_at_the_start_of_the_year(tenant_a):
    with scopes_disabled():
        PersonFactory(
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            full_name="Beth Bursar",
            email="bursar@school.example",
            position=Person.Position.BUSINESS_MANAGER,
        )
    year, requests = funded_year(tenant_a, fte=("204.5", "100.0"), dated=datetime.date(2026, 3, 20), start_year=2026)
    by_school = {request.school: request for request in requests}
    first, second = by_school[tenant_a.schools[0]], by_school[tenant_a.schools[1]]
    assert (first.amount, second.amount) == (Decimal("409.00"), Decimal("200.00"))
    assert sorted(r.number for r in requests) == [1, 2]
    assert {r.due for r in requests} == {year.starts} and {r.dated for r in requests} == {datetime.date(2026, 3, 20)}
    assert (first.figure, first.figure_label) == (Decimal("204.50"), "FTE at the January 2026 census")
    assert (first.addressed_to, first.addressed_position, first.addressed_email) == (
        "Beth Bursar",
        "School business manager",
        "bursar@school.example",
    )
    # No business manager, no headteacher in the people list, and its headteacher's role ended in 2023.
    assert (second.addressed_to, second.addressed_position) == ("", "The headteacher")
    with scopes_disabled():
        event = AuditEvent.objects.get(action="finance.requests_confirmed")
    assert event.data["total"] == "609.00" and event.actor == tenant_a.coordinator


def test_a_second_confirmation_of_the_same_year_is_refused_and_changes_nothing(tenant_a):
    year, _ = funded_year(tenant_a)
    with scopes_disabled():
        before = (ContributionRequest.objects.count(), AuditEvent.objects.count())
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as raised:
        contribution_requests_confirm(actor=tenant_a.coordinator, year=year)
    assert "they are not made twice" in raised.value.messages[0]
    with scopes_disabled():
        assert (ContributionRequest.objects.count(), AuditEvent.objects.count()) == before


def test_missing_census_figures_confirm_nothing_and_name_the_schools(tenant_a):
    year, _ = funded_year(tenant_a, fte=("204.5",), confirm=False)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as raised:
        contribution_requests_confirm(actor=tenant_a.coordinator, year=year)
    assert tenant_a.schools[1].name in raised.value.messages[0]
    with scopes_disabled():
        assert not ContributionRequest.objects.exists()


def test_numbers_run_on_across_years_and_a_credit_is_carried_forward(tenant_a):
    last_year, (first, *_) = funded_year(tenant_a, start_year=2025, dated=datetime.date(2025, 4, 1))
    with scope(partnership=tenant_a.partnership):
        payment_record(
            actor=tenant_a.coordinator,
            request=first,
            amount=first.amount + Decimal("50.00"),
            received_on=datetime.date(2025, 5, 1),
            method="bank_transfer",
            confirm_overpayment=True,
        )
    year, requests = funded_year(tenant_a, start_year=2026, dated=datetime.date(2026, 3, 30))
    assert sorted(r.number for r in requests) == [3, 4]
    with scopes_disabled():
        balances = {(r.year_id, r.school_id): r.outstanding for r in requests_with_balances()}
        new = next(r for r in requests if r.school_id == first.school_id)
        assert balances[(last_year.pk, first.school_id)] == Decimal("0.00")
        assert balances[(year.pk, first.school_id)] == new.amount - Decimal("50.00")
        assert list(Payment.objects.filter(request=new).values_list("method", "amount")) == [
            ("credit_brought", Decimal("50.00"))
        ]


def test_a_school_joining_after_the_requests_is_asked_pro_rata_once(tenant_a, client_for):
    from finance.services.contributions import contribution_request_add
    from tests.factories.partnerships import MembershipFactory
    from tests.factories.schools import CensusFactory

    year, _ = funded_year(tenant_a, start_year=2026, dated=datetime.date(2026, 3, 20))
    with scopes_disabled():
        joiner = MembershipFactory(partnership=tenant_a.partnership, joined=datetime.date(2026, 9, 15)).school
        CensusFactory(school=joiner, year=2026, fte=Decimal("120.0"))
    client = client_for(tenant_a.coordinator)
    page = client.get(f"/p/{tenant_a.slug}/finance/{year.pk}/contributions/").content.decode()
    assert f"joined since the requests were made: {joiner.name}" in page
    response = client.post(f"/p/{tenant_a.slug}/finance/{year.pk}/contributions/add/", {"school": joiner.pk})
    assert response.status_code == 302
    with scopes_disabled():
        request = ContributionRequest.objects.get(year=year, school=joiner)
    # £2 x 120 FTE = £240 a year; a member for the whole months October to March: 6/12 = £120.00.
    assert (request.amount, request.months, request.number) == (Decimal("120.00"), 6, 3)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError, match="already been asked"):
        contribution_request_add(actor=tenant_a.coordinator, year=year, school=joiner)
    response = client.post(f"/p/{tenant_a.slug}/finance/{year.pk}/contributions/add/", {"school": joiner.pk})
    assert response.status_code == 400  # no longer a choice
