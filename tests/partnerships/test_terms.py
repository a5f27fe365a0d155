import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from partnerships.calendar import academic_year_label, academic_year_of, default_terms
from partnerships.models import Term
from partnerships.roles import Role
from partnerships.selectors.terms import (
    next_term_after,
    school_day_on_or_after,
    term_containing,
    term_on_or_after,
    terms_for_years,
)
from partnerships.services.terms import terms_ensure, terms_update
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import TERM_DATES, give_role, make_terms, term_form_data

pytestmark = pytest.mark.django_db
D = datetime.date


def term_rows(partnership):
    with scopes_disabled():
        return list(
            Term.objects.filter(partnership=partnership)
            .order_by("starts")
            .values_list("academic_year", "name", "starts", "half_term_starts", "half_term_ends", "ends")
        )


def dates(year, **changes):
    values = {key: datetime.date.fromisoformat(value) for key, value in term_form_data(year).items()}
    values.update(changes)
    return values


# --- Defaults and look-ups -------------------------------------------------------------------------------


def test_missing_years_are_filled_once_from_the_calendars_defaults(tenant_a):
    before = len(term_rows(tenant_a.partnership))
    terms = terms_ensure(tenant_a.partnership, 2029)
    again = terms_ensure(tenant_a.partnership, 2029)
    assert [t.pk for t in terms] == [t.pk for t in again]
    assert [(t.name, t.starts, t.half_term_starts, t.half_term_ends, t.ends) for t in terms] == [
        (d.name, d.starts, d.half_term_starts, d.half_term_ends, d.ends) for d in default_terms(2029)
    ]
    assert len(term_rows(tenant_a.partnership)) == before + 3


def test_a_partnerships_own_dates_are_kept_and_other_partnerships_are_untouched(tenant_a, tenant_b):
    with scopes_disabled():
        make_terms(tenant_a.partnership, years=[2025])
    assert terms_ensure(tenant_a.partnership, 2025)[0].starts == D(2025, 9, 3)
    assert [row for row in term_rows(tenant_b.partnership) if row[0] == 2025] == []
    assert terms_ensure(tenant_b.partnership, 2025)[0].starts == default_terms(2025)[0].starts


def test_term_containing_counts_half_term_in_the_term_and_holidays_in_none(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
    autumn = term_containing(tenant_a.partnership, D(2025, 10, 29))  # half-term week
    assert (autumn.academic_year, autumn.name) == (2025, "autumn")
    assert term_containing(tenant_a.partnership, D(2025, 12, 19)).name == "autumn"  # its last day
    assert term_containing(tenant_a.partnership, D(2025, 12, 24)) is None
    assert term_containing(tenant_a.partnership, D(2026, 8, 10)) is None
    assert term_on_or_after(tenant_a.partnership, D(2026, 8, 10)).starts == D(2026, 9, 2)
    assert term_on_or_after(tenant_a.partnership, D(2026, 5, 1)).name == "summer"


def test_an_autumn_term_that_starts_in_august_is_found(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
        Term.objects.filter(partnership=tenant_a.partnership, academic_year=2026, name="autumn").update(
            starts=D(2026, 8, 27)
        )
    term = term_containing(tenant_a.partnership, D(2026, 8, 28))
    assert (term.academic_year, term.name) == (2026, "autumn")


def test_next_term_after_crosses_into_the_next_year_and_writes_nothing(tenant_a):
    terms_ensure(tenant_a.partnership, 2029)
    with scopes_disabled():
        autumn = Term.objects.get(partnership=tenant_a.partnership, academic_year=2029, name="autumn")
        summer = Term.objects.get(partnership=tenant_a.partnership, academic_year=2029, name="summer")
    before = term_rows(tenant_a.partnership)
    assert next_term_after(tenant_a.partnership, autumn).name == "spring"
    following = next_term_after(tenant_a.partnership, summer)
    assert (following.academic_year, following.name, following.pk) == (2030, "autumn", None)
    assert following.starts == default_terms(2030)[0].starts
    assert term_rows(tenant_a.partnership) == before


def test_next_term_after_reads_the_partnerships_own_dates(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership, years=[2025])
        autumn = Term.objects.get(partnership=tenant_a.partnership, academic_year=2025, name="autumn")
        summer = Term.objects.get(partnership=tenant_a.partnership, academic_year=2025, name="summer")
    assert next_term_after(tenant_a.partnership, autumn).name == "spring"
    following = next_term_after(tenant_a.partnership, summer)
    assert (following.academic_year, following.name) == (2026, "autumn")
    assert following.starts == default_terms(2026)[0].starts


# --- Changing a year's dates -------------------------------------------------------------------------------


def test_the_coordinator_changes_a_years_dates_and_the_old_and_new_dates_are_audited(tenant_a):
    terms_ensure(tenant_a.partnership, 2025)
    terms_update(actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, dates=dates(2025))
    assert [row[2:] for row in term_rows(tenant_a.partnership) if row[0] == 2025] == [
        tuple(t[1:]) for t in TERM_DATES[2025]
    ]
    with scopes_disabled():
        event = AuditEvent.objects.get(action="terms.changed")
    assert event.data["academic_year"] == 2025
    assert event.data["changes"]["autumn_starts"] == {
        "old": default_terms(2025)[0].starts.isoformat(),
        "new": "2025-09-03",
    }
    terms_update(actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, dates=dates(2025))
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="terms.changed").count() == 1, "no change, no audit"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"autumn_half_term_starts": D(2025, 9, 3)}, "autumn_half_term_starts", "must start after the first day"),
        ({"spring_half_term_ends": D(2026, 2, 15)}, "spring_half_term_ends", "on or after its first day"),
        ({"summer_ends": D(2026, 5, 29)}, "summer_ends", "must end after its half-term break"),
        ({"spring_starts": D(2025, 12, 19)}, "spring_starts", "must start after the autumn term ends on 19 December"),
        ({"summer_starts": D(2026, 3, 1)}, "summer_starts", "must start after the spring term ends"),
        ({"autumn_starts": D(2025, 7, 31)}, "autumn_starts", "between 1 August 2025 and 31 August 2026"),
        ({"summer_ends": D(2026, 9, 1)}, "summer_ends", "between 1 August 2025 and 31 August 2026"),
        ({"autumn_ends": None}, "autumn_ends", "Enter the last day of term of the autumn term"),
    ],
)
def test_bad_term_dates_are_refused_by_field_and_nothing_changes(tenant_a, changes, field, message):
    terms_ensure(tenant_a.partnership, 2025)
    before = term_rows(tenant_a.partnership)
    with pytest.raises(ValidationError) as caught:
        terms_update(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            academic_year=2025,
            dates=dates(2025, **changes),
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert term_rows(tenant_a.partnership) == before


def test_a_year_cannot_overlap_the_years_either_side(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership, years=[2025, 2026])
    with scopes_disabled():
        Term.objects.filter(partnership=tenant_a.partnership, academic_year=2025, name="summer").update(
            ends=D(2026, 8, 5)
        )
    with pytest.raises(ValidationError) as caught:
        terms_update(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            academic_year=2026,
            dates=dates(2026, autumn_starts=D(2026, 8, 3)),
        )
    assert "after the summer term of 2025/26 ends on 5 August 2026" in caught.value.message_dict["autumn_starts"][0]
    with pytest.raises(ValidationError) as caught:
        terms_update(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            academic_year=2025,
            dates=dates(2025, summer_ends=D(2026, 9, 2)),
        )
    assert "between 1 August 2025 and 31 August 2026" in caught.value.message_dict["summer_ends"][0]


# --- Pages ---------------------------------------------------------------------------------------------------


def test_everyone_sees_this_years_and_next_years_terms_and_only_the_coordinator_may_change_them(
    tenant_a, client_for, today
):
    year = academic_year_of(today)
    observer = UserFactory()
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    body = client_for(observer).get(f"/p/{tenant_a.slug}/constitution/terms/").content.decode()
    assert academic_year_label(year) in body and academic_year_label(year + 1) in body
    assert "Change the term dates" not in body
    coordinator = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/constitution/terms/").content.decode()
    assert f"terms/change/?year={year + 1}" in coordinator


def editable_2026(today) -> None:
    if not 2024 <= academic_year_of(today) <= 2027:
        pytest.skip("the form edits last year to two years ahead; these tests use TERM_DATES[2026]")


def test_the_coordinator_changes_term_dates_through_the_form(tenant_a, client_for, today):
    editable_2026(today)
    client = client_for(tenant_a.coordinator)
    year = 2026
    page = f"/p/{tenant_a.slug}/constitution/terms/change/?year={year}"
    assert client.get(page).status_code == 200
    response = client.post(page, term_form_data(year))
    assert response.status_code == 302 and response["Location"] == f"/p/{tenant_a.slug}/constitution/terms/"
    assert [row[2:] for row in term_rows(tenant_a.partnership) if row[0] == year] == [
        tuple(t[1:]) for t in TERM_DATES[year]
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"autumn_starts": "2026-02-30"}, "autumn_starts", "Enter the first day of term of the autumn term as a real"),
        ({"spring_ends": ""}, "spring_ends", "Enter the last day of term of the spring term"),
        ({"summer_starts": "x" * 5000}, "summer_starts", "as a real date"),
        ({"spring_starts": "2026-12-01"}, "spring_starts", "must start after the autumn term ends"),
        ({"summer_ends": "2027-09-30"}, "summer_ends", "between 1 August 2026 and 31 August 2027"),
    ],
)
def test_bad_term_dates_in_the_form_are_refused_next_to_the_field(tenant_a, client_for, today, changes, field, message):
    editable_2026(today)
    client = client_for(tenant_a.coordinator)
    page = f"/p/{tenant_a.slug}/constitution/terms/change/?year=2026"
    client.get(page)
    before = term_rows(tenant_a.partnership)
    response = client.post(page, {**term_form_data(2026), **changes})
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    body = response.content.decode()
    assert "<title>Error: " in body and f'href="#id_{field}"' in body
    assert term_rows(tenant_a.partnership) == before


def test_odd_years_are_404(tenant_a, client_for, today):
    client = client_for(tenant_a.coordinator)
    year = academic_year_of(today)
    assert client.get(f"/p/{tenant_a.slug}/constitution/terms/change/").status_code == 200  # this year
    for odd in ("abc", "", "1999", str(year + 3), str(year - 2), "99999", "-1", "2026.0", "%ff"):
        url = f"/p/{tenant_a.slug}/constitution/terms/change/?year={odd}"
        assert client.get(url).status_code == 404, odd
        assert client.post(url, term_form_data(2026)).status_code == 404, odd


def test_the_terms_page_runs_a_constant_number_of_queries(tenant_a, client_for):
    def grow():
        for year in range(2000, 2040):
            terms_ensure(tenant_a.partnership, year)

    # session, user, partnership, roles (1, which give the permissions too), the terms of two years (1)
    assert_constant_queries(
        client_for(tenant_a.coordinator), f"/p/{tenant_a.slug}/constitution/terms/", grow=grow, at_most=5
    )


def _terms_export(tenant, fmt):
    return reverse("constitution:terms_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def test_the_term_dates_download_as_the_page_lists_them_with_the_partnerships_own_dates(
    tenant_a, tenant_b, client_for, today
):
    year = academic_year_of(today)
    terms_ensure(tenant_a.partnership, year)
    with scopes_disabled():
        Term.objects.filter(partnership=tenant_a.partnership, academic_year=year, name="autumn").update(
            starts=D(year, 9, 1)
        )
        terms_ensure(tenant_b.partnership, year)
        Term.objects.filter(partnership=tenant_b.partnership, academic_year=year, name="autumn").update(
            starts=D(year, 9, 8)
        )
    observer = UserFactory()
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)

    rows = csv_rows(client_for(observer).get(_terms_export(tenant_a, "csv")))
    assert rows[0] == ["Academic year", "Term", "First day", "Half term starts", "Half term ends", "Last day"]
    expected = [
        [academic_year_label(t.academic_year), t.get_name_display()]
        + [d.isoformat() for d in (t.starts, t.half_term_starts, t.half_term_ends, t.ends)]
        for t in terms_for_years(tenant_a.partnership, year, year + 1)
    ]
    assert [row[0] for row in rows[1:]] == [academic_year_label(year)] * 3 + [academic_year_label(year + 1)] * 3
    assert rows[1:] == expected
    assert rows[1][1:3] == ["Autumn", D(year, 9, 1).isoformat()]

    sheet = xlsx_rows(client_for(tenant_b.coordinator).get(_terms_export(tenant_b, "xlsx")))
    assert sheet[1][2] == datetime.datetime(year, 9, 8) and len(sheet) == 7
    page = client_for(observer).get(f"/p/{tenant_a.slug}/constitution/terms/").content.decode()
    assert "Download as CSV" in page and _terms_export(tenant_a, "xlsx") in page
    assert client_for(observer).post(_terms_export(tenant_a, "csv")).status_code == 405
    assert client_for(observer).get(_terms_export(tenant_a, "ods")).status_code == 404


def test_the_term_dates_download_runs_the_same_queries_whatever_the_partnership_has_saved(tenant_a, client_for):
    def grow():
        for year in range(2000, 2040):
            terms_ensure(tenant_a.partnership, year)

    url = _terms_export(tenant_a, "xlsx")
    assert_constant_queries(client_for(tenant_a.coordinator), url, grow=grow, at_most=5)
    assert len(xlsx_rows(client_for(tenant_a.coordinator).get(url))) == 7


def test_a_school_day_is_a_weekday_in_term_outside_half_term(tenant_a):
    autumn, spring = default_terms(2026)[:2]
    partnership = tenant_a.partnership
    assert school_day_on_or_after(partnership, D(2026, 10, 1)) == D(2026, 10, 1)  # a Thursday in term
    assert school_day_on_or_after(partnership, D(2026, 10, 3)) == D(2026, 10, 5)  # Saturday: the Monday
    assert school_day_on_or_after(partnership, autumn.half_term_starts) == autumn.half_term_ends + datetime.timedelta(
        days=3
    )  # the half term's Friday, then the weekend
    assert school_day_on_or_after(partnership, D(2026, 12, 24)) == spring.starts  # the Christmas holiday
    assert school_day_on_or_after(partnership, D(2026, 8, 10)) == default_terms(2026)[0].starts  # summer holiday
