"""Dates as people read them in Commonroom's pages, messages and emails."""

import calendar
import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone


def date_label(value: datetime.date) -> str:
    """'1 September 2026': no leading zero, the month in words, as GOV.UK writes dates."""
    return f"{value.day} {value:%B %Y}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (earlier, if negative), or the month's last day if
    it is shorter: 31 August less three months is 31 May, 31 May less three is 28 (or 29) February."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- Date ranges ----------------------------------------------------------------------------------
# One convention everywhere (roles, memberships, terms, groups, elections, financial years): a start
# date is the first day in force and an end date is the LAST day in force, inclusive; an empty end
# means "until further notice". So "in force on D" is always start <= D and (end is None or D <= end).
# Every page, service, task and report asks these helpers, never its own comparison.

ONE_DAY = datetime.timedelta(days=1)


def in_force(start: datetime.date | None, end: datetime.date | None, on: datetime.date) -> bool:
    """Whether a range from `start` to `end` (both inclusive; None is open) covers the day `on`."""
    return (start is None or start <= on) and (end is None or on <= end)


def has_ended(end: datetime.date | None, on: datetime.date) -> bool:
    """Whether a range whose last day is `end` is over by the day `on` (its last day is not)."""
    return end is not None and end < on


def in_force_q(on: datetime.date, *, start: str = "start", end: str = "end") -> Q:
    """The same rule as `in_force` as a filter, for any start and end field names."""
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on}))


def in_force_between_q(first: datetime.date, last: datetime.date, *, start: str = "start", end: str = "end") -> Q:
    """In force on at least one day from `first` to `last` (both inclusive)."""
    return Q(**{f"{start}__lte": last}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))


def ended_q(on: datetime.date, *, end: str = "end") -> Q:
    """The same rule as `has_ended` as a filter."""
    return Q(**{f"{end}__lt": on})


class InForceQuerySet(QuerySet):
    """`in_force(on)` and `ended(on)` for a model whose range is `start_field`..`end_field`."""

    start_field = "start"
    end_field = "end"

    def in_force(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(in_force_q(on, start=self.start_field, end=self.end_field))

    def ended(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(ended_q(on, end=self.end_field))
