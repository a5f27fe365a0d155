"""Scheduling a year's meetings at once: one meeting in each half term of an academic year, from the
partnership's own term dates, and where the agreement asks for it (Exeter's does) a strategy group
meeting placed before each partnership meeting.

Each meeting is made by `meeting_schedule`, so it invites, notifies and is audited like any other; the
whole series is checked first and made in one transaction, so a series with one bad meeting makes none.
Half terms whose meeting would already have started are left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from meetings.models import Meeting
from meetings.services.scheduling import meeting_schedule, meeting_validate
from partnerships.calendar import TERM_LABELS, academic_year_label
from partnerships.models import Group, Partnership
from partnerships.selectors.terms import terms_of_year
from schools.models import School

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
LONGEST_HALF_TERM_WEEKS = 8
STRATEGY_TITLE = "Strategy group meeting"

# The series form's names for what meeting_validate calls `starts` and `ends`, for each meeting of a pair.
_MAIN_FIELDS = {"starts": "start_time", "ends": "end_time"}
_STRATEGY_FIELDS = {"starts": "strategy_start_time", "ends": "strategy_end_time"}
# Errors that belong to one meeting's date, which say which half term they are about.
_DATED = {"starts", "short_notice_reason"}


@dataclass(frozen=True)
class HalfTerm:
    label: str  # "Autumn 1"
    first: datetime.date
    last: datetime.date


@dataclass(frozen=True)
class PlannedMeeting:
    """One meeting of a series, before it is made."""

    half_term: str
    kind: str
    title: str
    starts: datetime.datetime
    ends: datetime.datetime

    @property
    def kind_label(self) -> str:
        return Meeting.Kind(self.kind).label


def half_terms_of(partnership: Partnership, academic_year: int) -> list[HalfTerm]:
    """The year's six half terms from the partnership's saved term dates; [] if it has saved none."""
    terms = [t for t in terms_of_year(partnership, academic_year) if t.pk is not None]
    halves = []
    for term in sorted(terms, key=lambda t: t.starts):
        name = TERM_LABELS[term.name]
        halves.append(HalfTerm(f"{name} 1", term.starts, term.half_term_starts - datetime.timedelta(days=1)))
        halves.append(HalfTerm(f"{name} 2", term.half_term_ends + datetime.timedelta(days=1), term.ends))
    return halves


def _day_in(half: HalfTerm, weekday: int, week: int) -> datetime.date | None:
    """The `weekday` of the half term's `week` (week 1 holds its first school day; a day before that
    moves to the next week), or its last such day if the half term is shorter; None if it has none."""
    first = half.first
    while first.weekday() >= 5:  # a half term saved from the Saturday after the holiday starts on Monday
        first += datetime.timedelta(days=1)
    monday = first - datetime.timedelta(days=first.weekday())
    day = monday + datetime.timedelta(weeks=week - 1, days=weekday)
    if day < first:  # week 1 began before the half term did: its first such day is the next week's
        day += datetime.timedelta(weeks=1)
    while day > half.last:
        day -= datetime.timedelta(weeks=1)
    return day if day >= first else None


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def meeting_series_plan(
    *,
    partnership: Partnership,
    academic_year: int,
    kind: str,
    title: str,
    weekday: int,
    week: int,
    start_time: datetime.time,
    end_time: datetime.time,
    group: Group | None = None,
    venue_school: School | None = None,
    venue_address: str = "",
    online_link: str = "",
    chair: User | None = None,
    note_taker: User | None = None,
    strategy_before: bool = False,
    strategy_days_before: int | None = 7,
    strategy_start_time: datetime.time | None = None,
    strategy_end_time: datetime.time | None = None,
    short_notice_reason: str = "",
    now: datetime.datetime | None = None,
) -> list[PlannedMeeting]:
    """The meetings a series would make, in date order, each checked as meeting_schedule checks it.
    Raises ValidationError by the series form's fields; writes nothing."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    year = academic_year_label(academic_year)
    halves = half_terms_of(partnership, academic_year)
    if kind not in Meeting.Kind.values:
        errors["kind"] = "Choose what kind of meeting this is"
    if not title.strip():
        errors["title"] = "Enter the meetings' title, for example Partnership meeting"
    if not halves:
        errors["academic_year"] = (
            f"There are no term dates for the academic year {year}: save the year's term dates first, "
            "so the series can follow them"
        )
    if weekday not in range(len(WEEKDAYS)):
        errors["weekday"] = "Choose the day of the week the meetings are on, Monday to Friday"
    if not 1 <= week <= LONGEST_HALF_TERM_WEEKS:
        errors["week"] = f"The week of the half term must be between 1 and {LONGEST_HALF_TERM_WEEKS}"
    if strategy_before:
        if kind != Meeting.Kind.PARTNERSHIP:
            errors["strategy_before"] = "A strategy group meeting goes before partnership meetings only"
        if strategy_days_before is None or not 1 <= strategy_days_before <= 28:
            errors["strategy_days_before"] = "Enter the days before the partnership meeting, from 1 to 28"
        if strategy_start_time is None:
            errors["strategy_start_time"] = "Enter the time the strategy group meeting starts"
        if strategy_end_time is None:
            errors["strategy_end_time"] = "Enter the time the strategy group meeting ends"
    if errors:
        raise ValidationError(errors)

    pairs: list[tuple[HalfTerm, list[tuple[PlannedMeeting, dict]]]] = []
    for half in halves:
        day = _day_in(half, weekday, week)
        if day is None:
            continue
        pair = []
        if strategy_before:
            before = day - datetime.timedelta(days=strategy_days_before)
            pair.append(
                (
                    PlannedMeeting(
                        half.label,
                        Meeting.Kind.STRATEGY,
                        f"{STRATEGY_TITLE}, {half.label}",
                        _at(before, strategy_start_time),
                        _at(before, strategy_end_time),
                    ),
                    _STRATEGY_FIELDS,
                )
            )
        pair.append(
            (
                PlannedMeeting(
                    half.label, kind, f"{title.strip()}, {half.label}", _at(day, start_time), _at(day, end_time)
                ),
                _MAIN_FIELDS,
            )
        )
        if pair[0][0].starts <= now:
            continue  # this half term's meeting would already have started
        pairs.append((half, pair))
    if not pairs:
        raise ValidationError(
            {"academic_year": f"Every half term's meeting in {year} would already have been: choose a later year"}
        )

    for _half, pair in pairs:
        for planned, names in pair:
            try:
                meeting_validate(
                    partnership=partnership,
                    kind=planned.kind,
                    title=planned.title,
                    starts=planned.starts,
                    ends=planned.ends,
                    group=group if planned.kind in Meeting.GROUP_KINDS else None,
                    venue_school=venue_school,
                    venue_address=venue_address,
                    online_link=online_link,
                    chair=chair,
                    note_taker=note_taker,
                    short_notice_reason=short_notice_reason,
                    now=now,
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    name = names.get(field, field)
                    if name in errors:
                        continue
                    message = " ".join(messages)
                    if field in _DATED:
                        on = date_label(timezone.localtime(planned.starts).date())
                        message = f"{planned.title} ({on}): {message}"
                    errors[name] = message
    if errors:
        raise ValidationError(errors)
    return [planned for _half, pair in pairs for planned, _names in pair]


@transaction.atomic
def meeting_series_schedule(
    *,
    actor: User,
    partnership: Partnership,
    academic_year: int,
    kind: str,
    title: str,
    weekday: int,
    week: int,
    start_time: datetime.time,
    end_time: datetime.time,
    group: Group | None = None,
    venue_school: School | None = None,
    venue_address: str = "",
    online_link: str = "",
    chair: User | None = None,
    note_taker: User | None = None,
    strategy_before: bool = False,
    strategy_days_before: int | None = 7,
    strategy_start_time: datetime.time | None = None,
    strategy_end_time: datetime.time | None = None,
    short_notice_reason: str = "",
    now: datetime.datetime | None = None,
) -> list[Meeting]:
    """Schedule one meeting in each half term of the year still to come (with a strategy group meeting
    before each partnership meeting if asked), each inviting and notifying as meeting_schedule does.
    All or nothing."""
    now = now or timezone.now()
    shared = {
        "group": group,
        "venue_school": venue_school,
        "venue_address": venue_address,
        "online_link": online_link,
        "chair": chair,
        "note_taker": note_taker,
        "short_notice_reason": short_notice_reason,
    }
    plan = meeting_series_plan(
        partnership=partnership,
        academic_year=academic_year,
        kind=kind,
        title=title,
        weekday=weekday,
        week=week,
        start_time=start_time,
        end_time=end_time,
        strategy_before=strategy_before,
        strategy_days_before=strategy_days_before,
        strategy_start_time=strategy_start_time,
        strategy_end_time=strategy_end_time,
        now=now,
        **shared,
    )
    made = [
        meeting_schedule(
            actor=actor,
            partnership=partnership,
            kind=planned.kind,
            title=planned.title,
            starts=planned.starts,
            ends=planned.ends,
            now=now,
            **shared,
        )
        for planned in plan
    ]
    audit_record(
        actor=actor,
        action=AuditAction.MEETING_SERIES_SCHEDULED,
        partnership=partnership,
        summary=f"{len(made)} meetings scheduled for {academic_year_label(academic_year)}: {title.strip()}"
        + (", each after a strategy group meeting" if strategy_before else ""),
        data={"meetings": [m.pk for m in made], "academic_year": academic_year, "kind": kind},
    )
    return made
