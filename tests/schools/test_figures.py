"""Census and budget figures: entered on the school page or imported per year, only for member schools."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import Membership
from partnerships.services.members import budget_record, census_import, census_record
from schools.models import Budget, Census, School
from tests.factories.partnerships import MembershipFactory
from tests.factories.schools import BudgetFactory, CensusFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gias"


def _counts():
    with scopes_disabled():
        return Census.objects.count(), Budget.objects.count(), AuditEvent.objects.count()


# --- census_record ---------------------------------------------------------------------------------


def test_census_figures_are_recorded_then_corrected_and_audited(tenant_a):
    school, p = tenant_a.schools[0], tenant_a.partnership
    census = census_record(
        actor=tenant_a.coordinator, partnership=p, school=school, year=2026, headcount=236, fte=Decimal("221.5")
    )
    assert (census.headcount, census.fte) == (236, Decimal("221.5"))
    census_record(
        actor=tenant_a.coordinator, partnership=p, school=school, year=2026, headcount=240, fte=Decimal("225")
    )
    census.refresh_from_db()
    assert (census.headcount, census.fte) == (240, Decimal("225.0"))
    assert Census.objects.count() == 1
    # The same figures again: nothing to record.
    census_record(
        actor=tenant_a.coordinator, partnership=p, school=school, year=2026, headcount=240, fte=Decimal("225.0")
    )
    with scopes_disabled():
        summaries = list(AuditEvent.objects.filter(action="schools.census_recorded").values_list("summary", flat=True))
    assert len(summaries) == 2
    assert "240 pupils, 225.0 FTE (was 236 and 221.5 FTE)" in summaries[0]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"headcount": -1}, "headcount", "0 or more"),
        ({"headcount": 10001, "fte": Decimal("10")}, "headcount", "10,000 or fewer"),
        ({"headcount": 20.5}, "headcount", "whole number"),
        ({"headcount": True}, "headcount", "whole number"),
        ({"fte": Decimal("-0.5")}, "fte", "0 or more"),
        ({"fte": Decimal("100.25")}, "fte", "one decimal place"),
        ({"fte": Decimal("NaN")}, "fte", "as a number"),
        ({"fte": 100.5}, "fte", "as a number"),  # a float is refused: FTE is Decimal
        ({"fte": Decimal("210.1")}, "fte", "more than the headcount (210)"),
        ({"year": 1999}, "year", "from 2000 to"),
        ({"year": 2027}, "year", "from 2000 to 2026"),
    ],
)
def test_bad_census_figures_are_refused_next_to_the_field(tenant_a, kwargs, field, message):
    values = {"year": 2026, "headcount": 210, "fte": Decimal("200.0")} | kwargs
    before = _counts()
    with pytest.raises(ValidationError) as error:
        census_record(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=tenant_a.schools[0], **values
        )
    assert message in " ".join(error.value.message_dict[field])
    assert _counts() == before


def test_fte_may_be_lower_than_headcount_and_zero_pupils_is_a_figure(tenant_a):
    p, school = tenant_a.partnership, tenant_a.schools[0]
    assert census_record(
        actor=None, partnership=p, school=school, year=2025, headcount=102, fte=Decimal("61.0")
    ).fte == Decimal("61.0")
    assert (
        census_record(actor=None, partnership=p, school=school, year=2024, headcount=0, fte=Decimal("0")).headcount == 0
    )


def test_figures_only_for_member_schools_and_not_for_years_after_a_school_left(tenant_a, tenant_b):
    p = tenant_a.partnership
    with pytest.raises(ValidationError) as error:
        census_record(actor=None, partnership=p, school=tenant_b.schools[0], year=2026, headcount=1, fte=Decimal(1))
    assert "is not a member of Alpha Partnership" in error.value.messages[0]
    with scopes_disabled():
        gone = MembershipFactory(partnership=p, left=datetime.date(2024, 8, 31)).school
    with pytest.raises(ValidationError) as error:
        census_record(actor=None, partnership=p, school=gone, year=2025, headcount=1, fte=Decimal(1))
    assert (
        "left Alpha Partnership on 31 August 2024, before the January 2025 census"
        in error.value.message_dict["year"][0]
    )
    # Figures from while it was a member can still be put right.
    assert census_record(actor=None, partnership=p, school=gone, year=2024, headcount=1, fte=Decimal(1))
    with pytest.raises(ValidationError) as error:
        budget_record(actor=None, partnership=p, school=gone, financial_year=2025, amount=Decimal(1))
    assert "before the 2025-26 financial year" in error.value.message_dict["financial_year"][0]
    # It was still a member when the 2024-25 financial year began (1 April 2024).
    assert budget_record(actor=None, partnership=p, school=gone, financial_year=2024, amount=Decimal(1))


def test_a_new_member_can_have_the_census_from_before_it_joined(tenant_a):
    """Contributions for a school joining in September read the January census before it joined."""
    with scopes_disabled():
        joiner = MembershipFactory(partnership=tenant_a.partnership, joined=datetime.date(2027, 9, 1)).school
    assert census_record(
        actor=None, partnership=tenant_a.partnership, school=joiner, year=2026, headcount=5, fte=Decimal(5)
    )


# --- budget_record -------------------------------------------------------------------------------------


def test_budgets_are_recorded_then_corrected(tenant_a):
    p, school = tenant_a.partnership, tenant_a.schools[0]
    budget = budget_record(actor=None, partnership=p, school=school, financial_year=2026, amount=Decimal("1250000"))
    assert budget.amount == Decimal("1250000.00")
    budget_record(actor=None, partnership=p, school=school, financial_year=2026, amount=Decimal("1300000.50"))
    budget.refresh_from_db()
    assert budget.amount == Decimal("1300000.50") and Budget.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"amount": Decimal("-1")}, "amount", "£0 or more"),
        ({"amount": Decimal("1.005")}, "amount", "two decimal places"),
        ({"amount": Decimal("1e12")}, "amount", "less than"),
        ({"amount": Decimal("Infinity")}, "amount", "in pounds"),
        ({"amount": 1000.0}, "amount", "in pounds"),
        ({"financial_year": 1999}, "financial_year", "from 2000"),
        ({"financial_year": 2028}, "financial_year", "to 2027"),
    ],
)
def test_bad_budgets_are_refused(tenant_a, kwargs, field, message):
    values = {"financial_year": 2026, "amount": Decimal("1000")} | kwargs
    before = _counts()
    with pytest.raises(ValidationError) as error:
        budget_record(actor=None, partnership=tenant_a.partnership, school=tenant_a.schools[0], **values)
    assert message in " ".join(error.value.message_dict[field])
    assert _counts() == before


# --- census_import ---------------------------------------------------------------------------------


def _census_csv(*rows: str) -> bytes:
    return ("URN,Headcount,FTE\r\n" + "".join(row + "\r\n" for row in rows)).encode()


def test_the_census_import_round_trips(tenant_a):
    a, b = tenant_a.schools
    CensusFactory(school=a, year=2026, headcount=100, fte=Decimal("100"))
    data = _census_csv(f"{a.urn},210,204.5", f'{b.urn},"1,050",1040')
    report = census_import(actor=tenant_a.coordinator, partnership=tenant_a.partnership, year=2026, data=data)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert Census.objects.get(school=a, year=2026).fte == Decimal("204.5")
    assert Census.objects.get(school=b, year=2026).headcount == 1050
    report = census_import(actor=tenant_a.coordinator, partnership=tenant_a.partnership, year=2026, data=data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_the_seed_census_file_imports_for_heart_of_manchester(tenant_a):
    from partnerships.services.members import school_register_import

    school_register_import(
        actor=None,
        data=(FIXTURES / "heart_of_manchester.csv").read_bytes(),
        partnership=tenant_a.partnership,
        add_as_members=True,
        joined=datetime.date(2025, 9, 1),
    )
    report = census_import(
        actor=None,
        partnership=tenant_a.partnership,
        year=2026,
        data=(FIXTURES / "census_heart_of_manchester_2026.csv").read_bytes(),
    )
    assert report.created == 8
    assert Census.objects.get(school__urn=990205, year=2026).fte == Decimal("61.0")


BAD_CENSUS = [
    ("{a},-5,0", "Line 2: The headcount must be 0 or more (the file says -5)"),
    ("{a},20.5,20", "Line 2: the headcount 20.5 is not a whole number of pupils"),
    ("{a},lots,20", "Line 2: the headcount \u201clots\u201d is not a number"),
    ("{a},,20", "Line 2: the headcount is missing"),
    ("{a},99999,20", "The headcount must be 10,000 or fewer"),
    ("{a},20,-1", "Line 2: The full-time equivalent must be 0 or more (the file says -1)"),
    ("{a},20,21", "Line 2: The full-time equivalent cannot be more than the headcount (20)"),
    ("{a},20,19.25", "The full-time equivalent has at most one decimal place"),
    ("{a},20,NaN", "is not a number"),
    ("{a},20,", "the FTE is missing"),
    ("123,20,19", "is not a 6-digit number"),
    ("{stranger},20,19", "is not a member of Alpha Partnership"),
    ("654321,20,19", "URN 654321 is not a member of Alpha Partnership"),
    ("{gone},20,19", "left Alpha Partnership before the January 2026 census"),
]


@pytest.mark.parametrize(("row", "message"), BAD_CENSUS)
def test_bad_census_rows_reject_the_whole_file(tenant_a, tenant_b, row, message):
    with scopes_disabled():
        gone = MembershipFactory(partnership=tenant_a.partnership, left=datetime.date(2025, 8, 31)).school
    a, b = tenant_a.schools
    row = row.format(a=a.urn, stranger=tenant_b.schools[0].urn, gone=gone.urn)
    before = _counts()
    with pytest.raises(ValidationError) as error:
        census_import(actor=None, partnership=tenant_a.partnership, year=2026, data=_census_csv(row, f"{b.urn},30,30"))
    messages = error.value.message_dict["file"]
    assert messages[0] == "Nothing was imported: 1 row of the file has problems"
    assert any(message in m for m in messages), messages
    assert _counts() == before


def test_census_file_problems_and_year_problems_are_reported_together(tenant_a):
    a, _ = tenant_a.schools
    with pytest.raises(ValidationError) as error:
        census_import(actor=None, partnership=tenant_a.partnership, year=1990, data=b"URN,Headcount\r\n1,2\r\n")
    assert "from 2000 to" in error.value.message_dict["year"][0]
    assert "missing the column \u201cFTE\u201d" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as error:
        census_import(
            actor=None, partnership=tenant_a.partnership, year=2026, data=_census_csv(f"{a.urn},1,1", f"{a.urn},2,2")
        )
    assert (
        "Line 3: the URN" in error.value.message_dict["file"][1]
        and "also on line 2" in error.value.message_dict["file"][1]
    )


# --- the pages ---------------------------------------------------------------------------------------


def test_the_coordinator_enters_census_figures_on_the_school_page(tenant_a, client_for):
    client, school = client_for(tenant_a.coordinator), tenant_a.schools[0]
    url = f"/p/{tenant_a.slug}/members/{school.urn}/census/"
    form = client.get(url)
    assert form.status_code == 200 and form.context["form"].initial == {"year": 2026}
    response = client.post(url, {"year": "2026", "headcount": "210", "fte": "196.5"})
    assert response.status_code == 302 and response["Location"].endswith(f"/members/{school.urn}/#figures")
    assert Census.objects.get(school=school, year=2026).fte == Decimal("196.5")
    # The change link prefills the year's figures.
    again = client.get(url + "?year=2026")
    assert again.context["form"].initial == {"year": 2026, "headcount": 210, "fte": Decimal("196.5")}
    page = client.get(f"/p/{tenant_a.slug}/members/{school.urn}/").content.decode()
    assert "January 2026" in page and "196.5" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"headcount": "-3"}, "headcount", "The headcount must be 0 or more"),
        ({"headcount": "10001"}, "headcount", "10,000 or fewer"),
        ({"headcount": "20.5"}, "headcount", "whole number"),
        ({"headcount": "abc"}, "headcount", "whole number"),
        ({"headcount": ""}, "headcount", "Enter the pupil headcount"),
        ({"fte": "-1"}, "fte", "The full-time equivalent must be 0 or more"),
        ({"fte": "1.25"}, "fte", "at most one decimal place"),
        ({"fte": "211"}, "fte", "more than the headcount (210)"),
        ({"fte": "NaN"}, "fte", "as a number"),
        ({"fte": "1e400"}, "fte", "10,000 or fewer"),
        ({"year": "1066"}, "year", "from 2000"),
        ({"year": "99999999999999999999"}, "year", "from 2000"),
        ({"year": "twenty"}, "year", "like 2026"),
    ],
)
def test_bad_census_input_on_the_page_is_shown_next_to_the_field(tenant_a, client_for, data, field, message):
    school = tenant_a.schools[0]
    before = _counts()
    response = client_for(tenant_a.coordinator).post(
        f"/p/{tenant_a.slug}/members/{school.urn}/census/", {"year": "2026", "headcount": "210", "fte": "200"} | data
    )
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    body = response.content.decode()
    assert "<title>Error: " in body and f'href="#id_{field}"' in body
    assert _counts() == before


def test_the_coordinator_enters_a_budget(tenant_a, client_for):
    client, school = client_for(tenant_a.coordinator), tenant_a.schools[0]
    url = f"/p/{tenant_a.slug}/members/{school.urn}/budget/"
    assert client.get(url).context["form"].initial == {"financial_year": 2026}
    assert client.post(url, {"financial_year": "2026", "amount": "1250000.00"}).status_code == 302
    assert Budget.objects.get(school=school).amount == Decimal("1250000.00")
    BudgetFactory(school=school, financial_year=2020, amount=Decimal("99.99"))
    assert client.get(url + "?year=2020").context["form"].initial == {
        "financial_year": 2020,
        "amount": Decimal("99.99"),
    }
    for bad, message in [
        ("-1", "The budget must be £0 or more"),
        ("1.001", "at most two decimal places"),
        ("lots", "in pounds"),
        ("99999999999", "less than £10,000,000,000"),
    ]:
        response = client.post(url, {"financial_year": "2026", "amount": bad})
        assert response.status_code == 400
        assert any(message in e for e in response.context["form"].errors["amount"])
    response = client.post(url, {"financial_year": "1850", "amount": "1"})
    assert response.status_code == 400 and response.context["form"].errors["financial_year"]
    assert Budget.objects.get(school=school, financial_year=2026).amount == Decimal("1250000.00")


def test_a_left_school_gets_a_clear_message_for_later_figures(tenant_a, client_for):
    with scopes_disabled():
        gone = MembershipFactory(partnership=tenant_a.partnership, left=datetime.date(2024, 8, 31)).school
    response = client_for(tenant_a.coordinator).post(
        f"/p/{tenant_a.slug}/members/{gone.urn}/census/", {"year": "2026", "headcount": "10", "fte": "10"}
    )
    assert response.status_code == 400
    assert "left Alpha Partnership on 31 August 2024" in response.context["form"].errors["year"][0]


def test_the_census_import_page(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    a, b = tenant_a.schools
    url = f"/p/{tenant_a.slug}/members/census/import/"
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("census.csv", _census_csv(f"{a.urn},-1,0", f"{b.urn},1,2"), content_type="text/csv")
    response = client.post(url, {"year": "2026", "file": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Line 2: The headcount must be 0 or more (the file says -1)" in body
    assert "Line 3: The full-time equivalent cannot be more than the headcount (1) (the file says 2)" in body
    assert 'href="#id_file"' in body and 'id="id_file-error"' in body
    assert not Census.objects.exists()
    good = SimpleUploadedFile("census.csv", _census_csv(f"{a.urn},10,9.5"), content_type="text/csv")
    response = client.post(url, {"year": "2026", "file": good}, follow=True)
    assert "January 2026 census imported: 1 added, 0 updated, 0 unchanged" in response.content.decode()


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"year": "2026"}, "file", "Choose a CSV file"),
        ({"year": "2026", "file": SimpleUploadedFile("e.csv", b"")}, "file", "The file is empty"),
        (
            {"year": "2026", "file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04" + b"\x00" * 30)},
            "file",
            "Excel workbook",
        ),
        ({"year": "", "file": SimpleUploadedFile("c.csv", b"URN,Headcount,FTE\n")}, "year", "Enter the census year"),
    ],
)
def test_bad_census_uploads(tenant_a, client_for, post, field, message):
    response = client_for(tenant_a.coordinator).post(f"/p/{tenant_a.slug}/members/census/import/", post)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors


def test_only_coordinators_change_figures(tenant_a, client_for):
    school = tenant_a.schools[0]
    client = client_for(tenant_a.headteacher)
    assert (
        client.post(
            f"/p/{tenant_a.slug}/members/{school.urn}/census/", {"year": "2026", "headcount": "1", "fte": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/p/{tenant_a.slug}/members/{school.urn}/budget/", {"financial_year": "2026", "amount": "1"}
        ).status_code
        == 403
    )
    assert not Census.objects.exists() and not Budget.objects.exists()
    assert School.objects.filter(pk=school.pk).exists()
    with scopes_disabled():
        assert Membership.objects.filter(school=school).count() == 1


def test_the_census_command_imports_for_a_partnership_and_rejects_bad_files(tenant_a, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    a, b = tenant_a.schools
    good = tmp_path / "census.csv"
    good.write_bytes(_census_csv(f"{a.urn},210,204.5", f"{b.urn},30,30"))
    call_command("import_census", str(good), partnership=tenant_a.slug, year=2026)
    assert "created 2, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_census_csv(f"{a.urn},-1,0"))
    with pytest.raises(CommandError, match="Rejected bad.csv"):
        call_command("import_census", str(bad), partnership=tenant_a.slug, year=2026)
    assert "Line 2: The headcount must be 0 or more (the file says -1)" in capsys.readouterr().err
    with pytest.raises(CommandError, match="no partnership"):
        call_command("import_census", str(good), partnership="nowhere", year=2026)
    assert Census.objects.get(school=a, year=2026).headcount == 210
