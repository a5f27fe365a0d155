"""Opening a financial year and setting its contributions: the services, the pages, and bad input."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from finance.forms import SchemeForm
from finance.models import BudgetLine, ContributionScheme, FinancialYear
from finance.services.years import contribution_scheme_set, financial_year_open
from partnerships.models import Constitution
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.partnerships import MembershipFactory
from tests.factories.schools import CensusFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _open(tenant, **kwargs):
    with scope(partnership=tenant.partnership):
        return financial_year_open(actor=tenant.coordinator, partnership=tenant.partnership, **kwargs)


def _counts(tenant):
    with scopes_disabled():
        return (
            FinancialYear.objects.filter(partnership=tenant.partnership).count(),
            BudgetLine.objects.filter(year__partnership=tenant.partnership).count(),
            ContributionScheme.objects.filter(year__partnership=tenant.partnership).count(),
            AuditEvent.objects.count(),
        )


def test_no_model_of_the_project_keeps_a_float():
    """Money is Decimal (or whole pence) end to end: no FloatField anywhere in the project's models."""
    ours = ("core", "accounts", "schools", "partnerships", "meetings", "finance", "subscriptions", "reports")
    floats = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.get_fields()
        if isinstance(field, models.FloatField)
    ]
    assert floats == []


def test_no_finance_form_has_a_float_field_and_no_money_code_calls_float():
    """Every form in finance.forms takes money as Decimal; and nothing on a money path (the finance app,
    the exports and the charts) turns an amount into a float, in code or templates."""
    import inspect
    import pathlib

    from django import forms

    import finance.forms

    classes = [cls for _, cls in inspect.getmembers(finance.forms, inspect.isclass) if issubclass(cls, forms.Form)]
    assert len(classes) > 8
    for cls in classes:
        for name, field in cls.base_fields.items():
            assert not isinstance(field, forms.FloatField), f"{cls.__name__}.{name}"
    root = pathlib.Path(__file__).resolve().parents[2]
    paths = [*root.glob("finance/**/*.py"), root / "core/exports.py", root / "core/charts.py"]
    paths += [*root.glob("templates/finance/**/*.html")]
    offenders = [
        str(path.relative_to(root))
        for path in paths
        if "migrations" not in path.parts and ("float(" in path.read_text() or "floatformat" in path.read_text())
    ]
    assert len(paths) > 30 and offenders == []


def test_a_year_opens_april_to_march_with_its_budget_and_the_year_befores_scheme(tenant_a):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(banker_school=tenant_a.schools[0])
    before = _open(tenant_a, start_year=2025)
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(
            actor=tenant_a.coordinator,
            year=before,
            basis="per_fte",
            rate=Decimal("2.00"),
            admin_share_percent=Decimal("5"),
        )
    year = _open(tenant_a, start_year=2026, budget={"administration": Decimal("400.00"), "events": Decimal("0")})
    with scopes_disabled():
        year.refresh_from_db()
        assert (year.starts, year.ends, year.label, year.status) == (D(2026, 4, 1), D(2027, 3, 31), "2026-27", "open")
        assert {line.category: line.planned for line in year.budget_lines.all()} == {
            "administration": Decimal("400.00"),
            "events": Decimal("0.00"),
        }
        scheme = year.scheme
        assert (scheme.basis, scheme.rate, scheme.admin_share_percent) == ("per_fte", Decimal("2.00"), Decimal("5"))
        assert scheme.pk != before.scheme.pk and scheme.set_by == tenant_a.coordinator
        event = AuditEvent.objects.latest("pk")
    assert event.action == "finance.year_opened" and event.actor == tenant_a.coordinator


def test_a_partnership_may_keep_a_september_year(tenant_a):
    year = _open(tenant_a, start_year=2026, start_month=9)
    assert (year.starts, year.ends, year.label, year.start_month) == (D(2026, 9, 1), D(2027, 8, 31), "2026-27", 9)


def test_a_year_that_overlaps_another_is_refused(tenant_a):
    _open(tenant_a, start_year=2026)
    before = _counts(tenant_a)
    with pytest.raises(ValidationError) as raised:
        _open(tenant_a, start_year=2026, start_month=9)
    assert "2026-27 already covers" in raised.value.message_dict["start_year"][0]
    assert _counts(tenant_a) == before


@pytest.mark.parametrize(
    ("basis", "rate", "total", "field", "message"),
    [
        ("per_fte", Decimal("-2.00"), None, "rate", "The rate must be more than £0.00"),
        ("per_fte", Decimal("0"), None, "rate", "The rate must be more than £0.00"),
        ("per_fte", Decimal("2.005"), None, "rate", "Enter the rate in pounds and pence, like 2.00"),
        ("per_fte", None, None, "rate", "Enter the rate in pounds and pence, like 2.00"),
        ("flat", Decimal("99999999.00"), None, "rate", "The rate must be £10,000,000 or less"),
        ("budget_share", None, None, "total", "Enter the total to share in pounds and pence, like 1000.00"),
        ("pupil_share", None, Decimal("0.001"), "total", "Enter the total to share in pounds and pence, like 2.00"),
    ],
)
def test_a_bad_scheme_is_refused_by_field_and_nothing_changes(tenant_a, basis, rate, total, field, message):
    year = _open(tenant_a, start_year=2026)
    before = _counts(tenant_a)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as raised:
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis=basis, rate=rate, total=total)
    assert raised.value.message_dict[field] == [message]
    assert _counts(tenant_a) == before


@pytest.mark.parametrize(
    ("banker", "percent", "fixed", "field", "message"),
    [
        (True, Decimal("5"), Decimal("100.00"), "admin_fixed_amount", "not both"),
        (True, Decimal("100.5"), None, "admin_share_percent", "between 0% and 100%"),
        (True, Decimal("-1"), None, "admin_share_percent", "between 0% and 100%"),
        (True, Decimal("2.555"), None, "admin_share_percent", "as a percentage, like 5 or 2.5"),
        (True, None, Decimal("-5.00"), "admin_fixed_amount", "must be £0.00 or more"),
        (True, None, Decimal("1.234"), "admin_fixed_amount", "in pounds and pence"),
        (False, Decimal("5"), None, "admin_share_percent", "Choose the banker school on the constitution first"),
        (False, None, Decimal("250.00"), "admin_fixed_amount", "Choose the banker school on the constitution first"),
    ],
)
def test_a_bad_administration_share_is_refused_by_field(tenant_a, banker, percent, fixed, field, message):
    if banker:
        with scopes_disabled():
            Constitution.objects.filter(partnership=tenant_a.partnership).update(banker_school=tenant_a.schools[0])
    year = _open(tenant_a, start_year=2026)
    before = _counts(tenant_a)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as raised:
        contribution_scheme_set(
            actor=tenant_a.coordinator,
            year=year,
            basis="per_fte",
            rate=Decimal("2.00"),
            admin_share_percent=percent,
            admin_fixed_amount=fixed,
        )
    assert message in raised.value.message_dict[field][0]
    assert _counts(tenant_a) == before


def test_a_closed_years_scheme_cannot_change(tenant_a):
    year = _open(tenant_a, start_year=2026)
    with scopes_disabled():
        FinancialYear.objects.filter(pk=year.pk).update(status=FinancialYear.Status.CLOSED)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError, match="closed"):
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="flat", rate=Decimal("10.00"))


def test_setting_the_scheme_again_keeps_what_it_was_in_the_audit_trail(tenant_a):
    year = _open(tenant_a, start_year=2026)
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="per_fte", rate=Decimal("2.00"))
        scheme = contribution_scheme_set(
            actor=tenant_a.coordinator, year=year, basis="budget_share", total=Decimal("5000.00"), rate=Decimal("3")
        )
    assert (scheme.basis, scheme.rate, scheme.total) == ("budget_share", None, Decimal("5000.00"))
    with scopes_disabled():
        event = AuditEvent.objects.latest("pk")
    assert event.data["was"] == {
        "basis": "per_fte",
        "rate": "2.00",
        "total": None,
        "joiner": "pro_rata",
        "admin_share_percent": None,
        "admin_fixed_amount": None,
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-2", "The rate must be more than £0.00"),
        ("0", "The rate must be more than £0.00"),
        ("2.005", "Enter the rate in pounds and pence, like 2.00"),
        ("two pounds", "Enter the rate in pounds and pence, like 2.00"),
        ("123456789012", "The rate must be £10,000,000 or less"),
    ],
)
def test_the_scheme_form_refuses_bad_money_by_the_field(value, message):
    form = SchemeForm(data={"basis": "per_fte", "rate": value, "joiner": "pro_rata"})
    assert not form.is_valid()
    assert form.errors["rate"] == [message]


def test_the_coordinator_opens_a_year_sets_the_scheme_and_previews_each_school(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    base = f"/p/{tenant_a.partnership.slug}/finance/"
    response = client.post(
        f"{base}open/", {"start_year": "2026", "start_month": "4", "budget_administration": "750.00"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        year = FinancialYear.objects.get(partnership=tenant_a.partnership)
        for school in tenant_a.schools:
            CensusFactory(school=school, year=2026, fte=Decimal("204.5"))
    response = client.post(f"{base}{year.pk}/scheme/", {"basis": "per_fte", "rate": "2.00", "joiner": "pro_rata"})
    assert response.status_code == 302
    page = client.get(f"{base}{year.pk}/").content.decode()
    assert "£750.00" in page and "per full-time equivalent pupil" in page
    before = _counts(tenant_a)
    page = client.get(f"{base}{year.pk}/contributions/").content.decode()
    assert _counts(tenant_a) == before
    assert page.count("£409.00</td>") == 2 and "£818.00" in page and "January 2026 census" in page
    for school in tenant_a.schools:
        assert school.name in page


def test_the_preview_lists_the_schools_without_census_figures(tenant_a, client_for):
    year = _open(tenant_a, start_year=2026)
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="per_fte", rate=Decimal("2.00"))
    page = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.partnership.slug}/finance/{year.pk}/contributions/")
    text = page.content.decode()
    assert page.status_code == 200 and "cannot be worked out yet" in text
    assert all(school.name in text for school in tenant_a.schools)


def test_a_bad_rate_on_the_page_is_explained_by_the_field_and_changes_nothing(tenant_a, client_for):
    year = _open(tenant_a, start_year=2026)
    before = _counts(tenant_a)
    response = client_for(tenant_a.coordinator).post(
        f"/p/{tenant_a.partnership.slug}/finance/{year.pk}/scheme/",
        {"basis": "per_fte", "rate": "", "joiner": "pro_rata"},
    )
    assert response.status_code == 400
    assert "Enter the rate in pounds and pence, like 2.00" in response.content.decode()
    assert _counts(tenant_a) == before


def test_the_preview_runs_a_constant_number_of_queries(tenant_a, client_for):
    year = _open(tenant_a, start_year=2026)
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="per_fte", rate=Decimal("2.00"))
    with scopes_disabled():
        for school in tenant_a.schools:
            CensusFactory(school=school, year=2026)

    def grow():
        for _ in range(5):
            CensusFactory(school=MembershipFactory(partnership=tenant_a.partnership).school, year=2026)

    url = f"/p/{tenant_a.partnership.slug}/finance/{year.pk}/contributions/"
    assert_constant_queries(client_for(tenant_a.coordinator), url, grow=grow)
    assert_constant_queries(client_for(tenant_a.coordinator), f"/p/{tenant_a.partnership.slug}/finance/", grow=grow)


def _years_export(tenant, fmt):
    return reverse("finance:list_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def test_the_years_download_lists_the_partnerships_years_as_the_page_does(tenant_a, tenant_b, client_for):
    year = _open(tenant_a, start_year=2026)
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="flat", rate=Decimal("100.00"))
    old = _open(tenant_a, start_year=2024)
    with scopes_disabled():
        FinancialYear.objects.filter(pk=old.pk).update(status=FinancialYear.Status.CLOSED)
    _open(tenant_b, start_year=2019)

    rows = csv_rows(client_for(tenant_a.coordinator).get(_years_export(tenant_a, "csv")))
    assert rows == [
        ["Year", "Starts", "Ends", "Contributions", "Status"],
        [year.label, "2026-04-01", "2027-03-31", "The same amount from every school", "Open"],
        [old.label, "2024-04-01", "2025-03-31", "Not set", "Closed"],
    ]
    sheet = xlsx_rows(client_for(tenant_a.headteacher).get(_years_export(tenant_a, "xlsx")))
    assert [row[1:3] for row in sheet[1:]] == [
        (datetime.datetime(2026, 4, 1), datetime.datetime(2027, 3, 31)),
        (datetime.datetime(2024, 4, 1), datetime.datetime(2025, 3, 31)),
    ]
    beta = csv_rows(client_for(tenant_b.coordinator).get(_years_export(tenant_b, "csv")))
    assert [row[1] for row in beta[1:]] == ["2019-04-01"]
    page = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/finance/").content.decode()
    assert "Download as CSV" in page and _years_export(tenant_a, "xlsx") in page


def test_the_years_download_runs_the_same_queries_for_one_year_and_twenty(tenant_a, client_for):
    year = _open(tenant_a, start_year=2026)
    with scope(partnership=tenant_a.partnership):
        contribution_scheme_set(actor=tenant_a.coordinator, year=year, basis="per_fte", rate=Decimal("2.00"))

    def grow():
        for start_year in range(2006, 2026):  # each with the scheme of the year before, or none
            _open(tenant_a, start_year=start_year)

    url = _years_export(tenant_a, "xlsx")
    assert_constant_queries(client_for(tenant_a.coordinator), url, grow=grow, at_most=5)
    assert len(xlsx_rows(client_for(tenant_a.coordinator).get(url))) == 22
