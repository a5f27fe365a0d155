"""The shared school calendar (partnerships/calendar.py), and that its default terms meet the term rules."""

import datetime

import pytest

from partnerships.calendar import (
    _easter,
    academic_year_label,
    academic_year_of,
    census_day,
    default_terms,
    financial_year_bounds,
    financial_year_of,
)
from partnerships.services.terms import TERM_PARTS, terms_validate

D = datetime.date


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2026, 9, 1), 2026), (D(2026, 8, 31), 2025), (D(2027, 1, 1), 2026), (D(2026, 11, 22), 2026)],
)
def test_the_academic_year_runs_september_to_august(day, year):
    assert academic_year_of(day) == year


def test_labels_and_financial_years():
    assert academic_year_label(2026) == "2026/27"
    assert academic_year_label(1999) == "1999/00"
    assert financial_year_of(D(2026, 3, 31)) == 2025 and financial_year_of(D(2026, 4, 1)) == 2026
    assert financial_year_bounds(2026) == (D(2026, 4, 1), D(2027, 3, 31))


@pytest.mark.parametrize(("year", "day"), [(2026, D(2026, 1, 15)), (2025, D(2025, 1, 16)), (2024, D(2024, 1, 18))])
def test_the_census_is_the_third_thursday_of_january(year, day):
    assert census_day(year) == day and day.weekday() == 3


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2038, D(2038, 4, 25))]
)
def test_easter(year, easter):
    assert _easter(year) == easter


@pytest.mark.parametrize("year", range(2000, 2101))
def test_default_terms_are_weekdays_in_order_and_pass_the_term_rules(year):
    terms = default_terms(year)
    assert [t.name for t in terms] == ["autumn", "spring", "summer"]
    dates = {f"{t.name}_{part}": getattr(t, part) for t in terms for part in TERM_PARTS}
    terms_validate(academic_year=year, dates=dates)  # raises if any rule is broken
    for t in terms:
        assert t.starts.weekday() < 5 and t.ends.weekday() == 4, t
        assert t.half_term_starts.weekday() == 0 and t.half_term_ends.weekday() == 4, t
    following = default_terms(year + 1)[0]
    assert terms[-1].ends < following.starts
