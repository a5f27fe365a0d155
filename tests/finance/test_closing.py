"""Changing a year's budget and expected income, and closing a year once it has ended: after that
nothing more is recorded in it. Refusals explain themselves by the field and change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from finance.models import BudgetLine, ContributionRequest, FinancialYear, IncomeLine, LedgerEntry, Payment
from finance.services.contributions import payment_record
from finance.services.ledger import ledger_entry_record
from finance.services.years import budget_set, contribution_scheme_set, financial_year_close
from tests.clock import on_day
from tests.factories.finance import funded_year
from tests.factories.partnerships import MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _url(tenant, year, tail: str) -> str:
    return f"/p/{tenant.slug}/finance/{year.pk}/{tail}"


def _state(tenant):
    with scopes_disabled():
        return (
            sorted(BudgetLine.objects.values_list("category", "planned")),
            sorted(IncomeLine.objects.values_list("source", "planned")),
            list(FinancialYear.objects.values_list("status", flat=True)),
            Payment.objects.count(),
            LedgerEntry.objects.count(),
            AuditEvent.objects.count(),
        )


def _ended_year(tenant):
    """2025-26, ended on 31 March 2026, with its requests (£409.00 and £200.00) due on 1 April 2025."""
    year, requests = funded_year(tenant, start_year=2025, dated=D(2025, 3, 20))
    return year, requests


def test_the_budget_and_expected_income_are_set_by_category_and_source(tenant_a):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)  # administration £500, events £300
    with scope(partnership=tenant_a.partnership):
        budget_set(
            actor=tenant_a.coordinator,
            year=year,
            budget={"administration": Decimal("650.00"), "staffing": Decimal("1200.50"), "events": None},
            income={"contributions": Decimal("609.00"), "grants": Decimal("5000"), "interest": None},
        )
    with scopes_disabled():
        assert dict(BudgetLine.objects.filter(year=year).values_list("category", "planned")) == {
            "administration": Decimal("650.00"),
            "events": Decimal("0.00"),  # emptied, kept: spending may be posted against it
            "staffing": Decimal("1200.50"),
        }
        assert dict(IncomeLine.objects.filter(year=year).values_list("source", "planned")) == {
            "contributions": Decimal("609.00"),
            "grants": Decimal("5000.00"),
        }
        event = AuditEvent.objects.get(action=AuditAction.BUDGET_CHANGED)
        assert event.actor == tenant_a.coordinator
        assert event.data["budget"] == {
            "administration": ["500.00", "650.00"],
            "staffing": [None, "1200.50"],
            "events": ["300.00", "0.00"],
        }
        assert event.data["income"] == {"contributions": [None, "609.00"], "grants": [None, "5000"]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget_events", "-1", "The planned amount for events must be £0.00 or more"),
        ("budget_staffing", "12.345", "Enter the planned amount for staffing in pounds and pence, like 1500.00"),
        ("income_grants", "99999999", "The expected amount for grants must be £10,000,000 or less"),
        ("income_interest", "lots", "Enter the expected amount for interest in pounds and pence, like 1500.00"),
    ],
)
def test_bad_budget_input_is_explained_by_its_field_and_changes_nothing(tenant_a, client_for, field, value, message):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    before = _state(tenant_a)
    response = client_for(tenant_a.coordinator).post(
        _url(tenant_a, year, "budget/"), {"budget_administration": "700.00", field: value}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert _state(tenant_a) == before


def test_the_service_refuses_what_the_form_would_not_send(tenant_a):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    before = _state(tenant_a)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        budget_set(
            actor=tenant_a.coordinator,
            year=year,
            budget={"catering": Decimal("1.00"), "events": Decimal("0.001")},
            income={"lottery": Decimal("5.00"), "events": Decimal("-5.00")},
        )
    assert refused.value.message_dict == {
        "budget_catering": ["Select a budget category from the list"],
        "budget_events": ["Enter the planned amount in pounds and pence, like 2.00"],
        "income_lottery": ["Select an income source from the list"],
        "income_events": ["The expected amount must be £0.00 or more"],
    }
    assert _state(tenant_a) == before


def test_the_budget_page_saves_and_the_year_page_shows_the_income(tenant_a, client_for):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    client = client_for(tenant_a.coordinator)
    form = client.get(_url(tenant_a, year, "budget/")).context["form"]
    assert form.initial == {"budget_administration": Decimal("500.00"), "budget_events": Decimal("300.00")}
    response = client.post(
        _url(tenant_a, year, "budget/"),
        {"budget_administration": "500.00", "budget_events": "300.00", "income_contributions": "609.00"},
    )
    assert response.status_code == 302 and response["Location"] == _url(tenant_a, year, "")
    page = client.get(_url(tenant_a, year, "")).content.decode()
    assert "Member contributions" in page and "£609.00" in page
    assert _url(tenant_a, year, "budget/") in page and _url(tenant_a, year, "close/") in page
    # A headteacher sees the year, not the coordinator's buttons.
    page = client_for(tenant_a.headteacher).get(_url(tenant_a, year, "")).content.decode()
    assert "£609.00" in page and _url(tenant_a, year, "budget/") not in page


def test_a_year_is_not_closed_before_its_last_day_has_passed(tenant_a, client_for):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    client = client_for(tenant_a.coordinator)
    page = client.get(_url(tenant_a, year, "close/")).content.decode()
    assert "It can be closed once that day has passed" in page and "Close the year</button>" not in page
    before = _state(tenant_a)
    with on_day(year.ends):
        response = client.post(_url(tenant_a, year, "close/"))
    assert response.status_code == 400
    assert "runs until 31 March 2027: it can be closed from 1 April 2027" in response.content.decode()
    assert _state(tenant_a) == before


def test_closing_an_ended_year_warns_what_is_owed_and_then_nothing_more_is_recorded_in_it(tenant_a, client_for):
    year, requests = _ended_year(tenant_a)
    with scope(partnership=tenant_a.partnership):
        payment_record(
            actor=tenant_a.coordinator,
            request=requests[0],
            amount=Decimal("409.00"),
            received_on=D(2025, 5, 1),
            method="bank_transfer",
        )
    client = client_for(tenant_a.coordinator)
    page = client.get(_url(tenant_a, year, "close/")).content.decode()
    assert "nothing more can be recorded in it" in page
    assert f"1 school still owes £200.00 for {year.label}" in page
    response = client.post(_url(tenant_a, year, "close/"))
    assert response.status_code == 302
    with scopes_disabled():
        year.refresh_from_db()
        assert year.status == FinancialYear.Status.CLOSED
        event = AuditEvent.objects.get(action=AuditAction.FINANCIAL_YEAR_CLOSED)
        assert (event.actor, event.data["outstanding"], event.data["movement"]) == (
            tenant_a.coordinator,
            "200.00",
            "409.00",
        )
    assert _url(tenant_a, year, "close/") not in client.get(_url(tenant_a, year, "")).content.decode()

    before = _state(tenant_a)
    refusals = [
        lambda: financial_year_close(actor=tenant_a.coordinator, year=year),
        lambda: payment_record(
            actor=tenant_a.coordinator,
            request=requests[1],
            amount=Decimal("200.00"),
            received_on=D(2026, 3, 1),
            method="cheque",
        ),
        lambda: ledger_entry_record(
            actor=tenant_a.coordinator,
            year=year,
            kind="interest",
            amount=Decimal("1.00"),
            posted_on=D(2026, 3, 1),
            description="Interest",
        ),
        lambda: budget_set(actor=tenant_a.coordinator, year=year, budget={"events": Decimal("1.00")}, income={}),
        lambda: contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="flat", rate=Decimal("5.00")),
    ]
    messages = []
    for refusal in refusals:
        with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
            refusal()
        messages.append(refused.value.messages[0])
    assert messages[0] == "The financial year 2025-26 is already closed"
    assert all("is closed" in message for message in messages[1:])
    assert _state(tenant_a) == before
    second = client.post(_url(tenant_a, year, "close/"))
    assert second.status_code == 400 and "The financial year 2025-26 is closed." in second.content.decode()
    budget = client.post(_url(tenant_a, year, "budget/"), {"budget_events": "1.00"})
    assert budget.status_code == 400 and "its budget cannot change" in budget.content.decode()
    assert _state(tenant_a) == before


def test_the_close_and_budget_pages_run_a_constant_number_of_queries(tenant_a, client_for):
    year, _ = _ended_year(tenant_a)

    def grow():
        for number in range(100, 105):
            ContributionRequest.objects.create(
                partnership=tenant_a.partnership,
                year=year,
                school=MembershipFactory(partnership=tenant_a.partnership).school,
                number=number,
                dated=D(2025, 3, 20),
                due=D(2025, 4, 1),
                amount=Decimal("50.00"),
                created_by=tenant_a.coordinator,
            )
        IncomeLine.objects.create(year=year, source=IncomeLine.Source.GRANTS, planned=Decimal("10.00"))

    client = client_for(tenant_a.coordinator)
    assert_constant_queries(client, _url(tenant_a, year, "close/"), grow=grow)
    assert_constant_queries(client, _url(tenant_a, year, "budget/"), grow=lambda: None)
    assert "7 schools still owe £859.00" in client.get(_url(tenant_a, year, "close/")).content.decode()
