"""The UK school calendar: academic years (September to August) of three terms with half terms,
financial years (April to March) and the January census. Every rule that says "termly",
"half-termly", "a term's notice" or "the start of the financial year" goes through here."""

import datetime
from dataclasses import dataclass

AUTUMN, SPRING, SUMMER = "autumn", "spring", "summer"
TERM_NAMES = (AUTUMN, SPRING, SUMMER)
TERM_LABELS = {AUTUMN: "Autumn", SPRING: "Spring", SUMMER: "Summer"}


def academic_year_of(day: datetime.date) -> int:
    """The year the academic year containing `day` starts in: 2026-11-22 -> 2026 (2026/27)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def financial_year_of(day: datetime.date) -> int:
    """The year the financial year containing `day` starts in (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


def census_day(year: int) -> datetime.date:
    """The spring (January) school census: the third Thursday of January."""
    first = datetime.date(year, 1, 1)
    first_thursday = first + datetime.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + datetime.timedelta(weeks=2)


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after if it falls at a weekend."""
    return day if day.weekday() < 5 else _weekday_on_or_after(day, 0)


def _friday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - 4) % 7)


def _easter(year: int) -> datetime.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


@dataclass(frozen=True)
class TermDates:
    name: str
    starts: datetime.date
    half_term_starts: datetime.date
    half_term_ends: datetime.date
    ends: datetime.date


def default_terms(start_year: int) -> list[TermDates]:
    """Sensible term dates for an academic year, in the common English pattern.

    Partnerships edit their own; these are only the starting point.
    """
    y1, y2 = start_year, start_year + 1
    autumn_start = _weekday(datetime.date(y1, 9, 2))
    autumn_half = _weekday_on_or_after(datetime.date(y1, 10, 23), 0)
    autumn_end = _friday_on_or_before(datetime.date(y1, 12, 20))
    spring_start = _weekday(datetime.date(y2, 1, 4))
    spring_half = _weekday_on_or_after(datetime.date(y2, 2, 12), 0)
    easter = _easter(y2)
    spring_end = _friday_on_or_before(easter - datetime.timedelta(days=2))
    summer_start = spring_end + datetime.timedelta(days=17)  # two weeks' Easter holiday, back on Monday
    summer_half = _weekday_on_or_after(datetime.date(y2, 5, 25), 0)
    summer_end = _friday_on_or_before(datetime.date(y2, 7, 23))
    week = datetime.timedelta(days=4)
    return [
        TermDates(AUTUMN, autumn_start, autumn_half, autumn_half + week, autumn_end),
        TermDates(SPRING, spring_start, spring_half, spring_half + week, spring_end),
        TermDates(SUMMER, summer_start, summer_half, summer_half + week, summer_end),
    ]
