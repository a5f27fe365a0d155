"""Reading a partnership's term dates. Never writes.

A year whose terms the partnership has not saved reads as the calendar's default dates (unsaved Term
rows, `pk is None`): the rules that count terms (a term's notice, next term's rota) work for any year,
and nothing is written by a page. Saved rows exist for the current and next academic year from the
day a partnership is created (services.terms.terms_ensure, run by partnership_create, a daily task
and the coordinator's term-dates page); a service that must point at a term saves it first.
"""

import datetime

from django_scopes import scope

from core.dates import has_ended, in_force
from core.exports import Column, Kind, Table
from partnerships.calendar import TERM_LABELS, academic_year_label, academic_year_of, default_terms
from partnerships.models import Partnership, Term


def term_label(term) -> str:
    """'Spring term 2026/27'."""
    return f"{TERM_LABELS[term.name]} term {academic_year_label(term.academic_year)}"


def default_term_rows(partnership: Partnership, academic_year: int) -> list[Term]:
    """The calendar's default terms for one year, as unsaved rows of this partnership."""
    return [
        Term(
            partnership=partnership,
            academic_year=academic_year,
            name=dates.name,
            starts=dates.starts,
            half_term_starts=dates.half_term_starts,
            half_term_ends=dates.half_term_ends,
            ends=dates.ends,
        )
        for dates in default_terms(academic_year)
    ]


def terms_for_years(partnership: Partnership, first_year: int, last_year: int) -> list[Term]:
    """Every term of the academic years first_year..last_year in date order: saved where the partnership
    has them, the defaults otherwise. One query, whatever the span."""
    with scope(partnership=partnership):
        saved = list(Term.objects.filter(partnership=partnership, academic_year__range=(first_year, last_year)))
    have = {(t.academic_year, t.name) for t in saved}
    defaults = [
        term
        for year in range(first_year, last_year + 1)
        for term in default_term_rows(partnership, year)
        if (year, term.name) not in have
    ]
    return sorted(saved + defaults, key=lambda t: t.starts)


def terms_of_year(partnership: Partnership, academic_year: int) -> list[Term]:
    """The autumn, spring and summer terms of one academic year."""
    return terms_for_years(partnership, academic_year, academic_year)


def term_containing(partnership: Partnership, day: datetime.date) -> Term | None:
    """The term `day` falls in (half terms count as part of their term), or None in a holiday."""
    year = academic_year_of(day)
    # A partnership may start its autumn term in late August, which the calendar counts in the year before.
    for term in terms_for_years(partnership, year, year + 1):
        if in_force(term.starts, term.ends, day):
            return term
    return None


def term_on_or_after(partnership: Partnership, day: datetime.date) -> Term:
    """The term `day` falls in or, in a holiday, the next term to start."""
    year = academic_year_of(day)
    return next(t for t in terms_for_years(partnership, year, year + 1) if not has_ended(t.ends, day))


def next_term_after(partnership: Partnership, term: Term) -> Term:
    """The term that follows `term`."""
    terms = terms_for_years(partnership, term.academic_year, term.academic_year + 1)
    return next(t for t in terms if t.starts > term.ends)


def school_day_on_or_after(partnership: Partnership, day: datetime.date) -> datetime.date:
    """The first weekday on or after `day` in one of the partnership's terms and not in its half term."""
    while True:
        term = term_on_or_after(partnership, day)
        if day < term.starts:
            day = term.starts
        elif term.half_term_starts <= day <= term.half_term_ends:
            day = term.half_term_ends + datetime.timedelta(days=1)
        elif day.weekday() >= 5:
            day += datetime.timedelta(days=7 - day.weekday())
        else:
            return day


def term_dates_years(partnership: Partnership, first_year: int, years: int = 2) -> list[dict]:
    """The term dates page's years from `first_year` on, each with its label and its (label, term) rows
    in date order. One query."""
    terms = terms_for_years(partnership, first_year, first_year + years - 1)
    return [
        {
            "year": year,
            "label": academic_year_label(year),
            "terms": [(TERM_LABELS[t.name], t) for t in terms if t.academic_year == year],
        }
        for year in range(first_year, first_year + years)
    ]


def term_dates_table(years: list[dict]) -> Table:
    """The term dates page as a download (`term_dates_years`): each year's terms with their first day,
    half-term break and last day, as dates."""
    return Table(
        title="Term dates",
        columns=[
            Column("Academic year"),
            Column("Term"),
            Column("First day", Kind.DATE),
            Column("Half term starts", Kind.DATE),
            Column("Half term ends", Kind.DATE),
            Column("Last day", Kind.DATE),
        ],
        rows=[
            (year["label"], label, term.starts, term.half_term_starts, term.half_term_ends, term.ends)
            for year in years
            for label, term in year["terms"]
        ],
    )
