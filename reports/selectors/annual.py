"""Reading the annual partnership report: the formal review of the partnership's year against its aims
that the agreement asks for before the annual planning meeting, reported to that meeting and to the
member schools' governing bodies.

`annual_year` gathers one academic year (September to August) from the owning apps' selectors: the
partnership's aims and each development area's progress (partnerships), the partnership's money
(finance), who joined, gave notice and left (partnerships), and each school's attendance at partnership
meetings (meetings). A report stores it as JSON (`year_to_json`), and the page and the PDF both render
it back (`year_from_json`), so they say what was true when it was generated.

It is read by every member school's headteacher and governors, so it holds nothing private to one
school: money is the partnership's totals, never a school's own contribution; no note of visit, no
school's statement. Attendance at partnership meetings is in every member's minutes already.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from core.charts import comparison_bars
from finance.selectors import spending_by_line, summary_years
from meetings.models import Attendance
from meetings.selectors import attendance_counts_between, partnership_meetings_between
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import AreaParticipation, DevelopmentMilestone, Partnership
from partnerships.models.development import Status
from partnerships.selectors.constitution import memberships_for_page
from partnerships.selectors.development import EARLIEST_YEAR, areas_for_year
from partnerships.selectors.members import member_school_ids_between
from reports.models import AnnualReport
from reports.selectors.governors import readable_school_ids, snapshot_from_json, snapshot_to_json
from schools.models import School

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AreaYear:
    name: str
    status: str
    coordinator: str
    objectives: str
    evaluation: str
    milestones_met: int
    milestones: int
    actions_done: int
    actions: int
    schools: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BudgetLineYear:
    name: str
    planned: Decimal
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return self.planned - self.spent


@dataclass(frozen=True)
class MoneyYear:
    """One financial year that overlaps the academic year: the partnership's totals, never a school's."""

    label: str
    starts: datetime.date
    ends: datetime.date
    asked: Decimal
    paid: Decimal
    spent: Decimal
    lines: list[BudgetLineYear] = field(default_factory=list)

    @property
    def outstanding(self) -> Decimal:
        return self.asked - self.paid

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), ZERO)


@dataclass(frozen=True)
class MembershipChange:
    day: datetime.date
    school: str
    change: str  # "joined", "notice" or "left"
    detail: str


@dataclass(frozen=True)
class SchoolAttendance:
    school: str
    present: int = 0
    substitute: int = 0
    apologies: int = 0
    absent: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.substitute + self.apologies + self.absent

    @property
    def represented(self) -> int:
        return self.present + self.substitute


@dataclass(frozen=True)
class AnnualYear:
    partnership: str
    academic_year: int
    year_label: str
    starts: datetime.date
    ends: datetime.date
    covered_to: datetime.date  # the last day counted: the year's end, or the day it was generated
    purpose: str
    aims: list[str]
    progress: str  # the partnership's progress against its aims, in the coordinator's words
    areas: list[AreaYear]
    money: list[MoneyYear]
    members_at_start: int
    members_at_end: int
    changes: list[MembershipChange]
    meetings: int
    attendance: list[SchoolAttendance]

    @property
    def to_date(self) -> bool:
        """The year had not ended when the report was generated."""
        return self.covered_to < self.ends

    @property
    def is_empty(self) -> bool:
        """Nothing was recorded for the year: no areas, money, changes or meetings."""
        return not (self.areas or self.money or self.changes or self.meetings or self.attendance)

    @property
    def attendance_totals(self) -> SchoolAttendance:
        rows = self.attendance
        return SchoolAttendance(
            "All schools",
            present=sum(r.present for r in rows),
            substitute=sum(r.substitute for r in rows),
            apologies=sum(r.apologies for r in rows),
            absent=sum(r.absent for r in rows),
        )


_TYPES = {cls.__name__: cls for cls in (AreaYear, BudgetLineYear, MoneyYear, MembershipChange, SchoolAttendance)}
_TYPES[AnnualYear.__name__] = AnnualYear


def year_to_json(year: AnnualYear) -> dict:
    return snapshot_to_json(year)


def year_from_json(data: dict) -> AnnualYear:
    return snapshot_from_json(data, _TYPES)


# --- Which years -------------------------------------------------------------------------------------


def year_bounds(academic_year: int) -> tuple[datetime.date, datetime.date]:
    """The academic year's first and last days: 1 September to 31 August."""
    return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 8, 31)


def reportable_year(academic_year: int, today: datetime.date | None = None) -> bool:
    """A year a report may be about: one that has begun (the current year is reported to date)."""
    return EARLIEST_YEAR <= academic_year <= academic_year_of(today or timezone.localdate())


def last_complete_year(today: datetime.date | None = None) -> int:
    return academic_year_of(today or timezone.localdate()) - 1


# --- Gathering a year ----------------------------------------------------------------------------------


def _areas(partnership: Partnership, academic_year: int) -> list[AreaYear]:
    areas = (
        areas_for_year(academic_year)
        .filter(partnership=partnership)
        .prefetch_related(
            Prefetch("milestones", queryset=DevelopmentMilestone.objects.order_by("due", "pk")),
            Prefetch(
                "participations",
                queryset=AreaParticipation.objects.select_related("school").order_by("school__name", "pk"),
            ),
        )
    )
    return [
        AreaYear(
            name=area.name,
            status=area.get_status_display(),
            coordinator=str(area.coordinator) if area.coordinator else "",
            objectives=area.objectives,
            evaluation=area.evaluation,
            milestones_met=sum(1 for m in area.milestones.all() if m.status == Status.DONE),
            milestones=len(area.milestones.all()),
            actions_done=area.actions_done,
            actions=area.action_count,
            schools=[part.school.name for part in area.participations.all()],
        )
        for area in areas
    ]


def _line_name(line) -> str:
    category = line.get_category_display()
    return f"{category}: {line.description}" if line.description else category


def _money(partnership: Partnership, first: datetime.date, last: datetime.date) -> list[MoneyYear]:
    """The financial years (April to March) that overlap the academic year, oldest first: what the
    partnership asked for and received, and its budget against its spending (finance's own sums)."""
    money = []
    for totals in reversed(summary_years(partnership)):
        year = totals.year
        if year.starts > last or year.ends < first:
            continue
        lines = [BudgetLineYear(_line_name(row.line), row.line.planned, row.spent) for row in spending_by_line(year)]
        money.append(MoneyYear(year.label, year.starts, year.ends, totals.asked, totals.paid, totals.spent, lines))
    return money


def _changes(partnership: Partnership, first: datetime.date, last: datetime.date):
    """Who joined, gave notice and left within the year, in date order; and how many were members on
    its first and last days."""
    memberships = list(memberships_for_page().filter(partnership=partnership))
    changes = []
    for membership in memberships:
        name = membership.school.name
        if first <= membership.joined <= last:
            approved = f"; approved {membership.approved_on:%-d %B %Y}" if membership.approved_on else ""
            changes.append(MembershipChange(membership.joined, name, "joined", f"Joined the partnership{approved}"))
        for notice in membership.notices.all():
            if first <= notice.received_on <= last:
                changes.append(
                    MembershipChange(
                        notice.received_on,
                        name,
                        "notice",
                        f"Gave notice to leave ({notice.get_method_display().lower()}); "
                        f"last day as a member {notice.leaving_on:%-d %B %Y}",
                    )
                )
        if membership.left is not None and first <= membership.left <= last:
            changes.append(MembershipChange(membership.left, name, "left", "Left the partnership: its last day"))
    order = {"joined": 0, "notice": 1, "left": 2}
    changes.sort(key=lambda c: (c.day, order[c.change], c.school))
    at_start = sum(1 for m in memberships if m.is_current(first))
    at_end = sum(1 for m in memberships if m.is_current(last))
    return changes, at_start, at_end


def _attendance(partnership: Partnership, first: datetime.date, last: datetime.date) -> list[SchoolAttendance]:
    """Each school's attendance at the year's partnership meetings: every school that was recorded."""
    counts = attendance_counts_between(partnership, first, last)
    schools = School.objects.filter(pk__in=counts).order_by("name", "urn")
    S = Attendance.Status
    return [
        SchoolAttendance(
            school.name,
            present=counts[school.pk].get(S.PRESENT, 0),
            substitute=counts[school.pk].get(S.SUBSTITUTE, 0),
            apologies=counts[school.pk].get(S.APOLOGIES, 0),
            absent=counts[school.pk].get(S.ABSENT, 0),
        )
        for school in schools
    ]


def annual_year(
    partnership: Partnership, academic_year: int, *, progress: str = "", today: datetime.date | None = None
) -> AnnualYear:
    """Everything the annual report says about the academic year, as things stand on `today` (a year
    not yet over is reported to that day). A constant number of queries, whatever the number of schools,
    meetings and areas."""
    today = today or timezone.localdate()
    starts, ends = year_bounds(academic_year)
    last = min(ends, today)
    changes, at_start, at_end = _changes(partnership, starts, last)
    return AnnualYear(
        partnership=partnership.name,
        academic_year=academic_year,
        year_label=academic_year_label(academic_year),
        starts=starts,
        ends=ends,
        covered_to=last,
        purpose=partnership.purpose.strip(),
        aims=[line.strip() for line in partnership.aims.splitlines() if line.strip()],
        progress=progress.strip(),
        areas=_areas(partnership, academic_year),
        money=_money(partnership, starts, last),
        members_at_start=at_start,
        members_at_end=at_end,
        changes=changes,
        meetings=partnership_meetings_between(partnership, starts, last),
        attendance=_attendance(partnership, starts, last),
    )


# --- Charts --------------------------------------------------------------------------------------------


def year_charts(year: AnnualYear) -> dict[str, str]:
    """The report's charts as SVG that reads without colour (hatched against solid, every figure
    written), each beside a table of the same figures."""
    charts = {}
    if year.attendance:
        charts["attendance"] = comparison_bars(
            title=f"Attendance at partnership meetings, {year.year_label}",
            description="For each school, the partnership meetings at which its attendance was recorded, and "
            "at how many it was present or sent a substitute.",
            rows=[(row.school, Decimal(row.recorded), Decimal(row.represented)) for row in year.attendance],
            labels=("Meetings recorded", "Represented"),
            money=False,
        )
    if any(row.asked or row.paid for row in year.money):
        charts["money"] = comparison_bars(
            title=f"The partnership's contributions, {year.year_label}",
            description="What the partnership asked its member schools for and received, financial year by "
            "financial year.",
            rows=[(row.label, row.asked, row.paid) for row in year.money],
            labels=("Asked for", "Received"),
        )
    return charts


# --- Stored reports ------------------------------------------------------------------------------------


def annual_reports(partnership: Partnership) -> list[AnnualReport]:
    """Every version of every year's report, the newest year and version first. One query."""
    return list(
        AnnualReport.objects.filter(partnership=partnership)
        .select_related("generated_by")
        .defer("data")
        .order_by("-academic_year", "-version")
    )


@dataclass(frozen=True)
class AnnualYearLink:
    academic_year: int
    label: str
    latest: AnnualReport | None


def annual_years(partnership: Partnership, *, with_recent: bool = False) -> list[AnnualYearLink]:
    """The years with an annual report, newest first, each with its latest version; with the last
    complete year and the current one (for the coordinator, who generates them). One query."""
    latest: dict[int, AnnualReport] = {}
    for report in annual_reports(partnership):
        latest.setdefault(report.academic_year, report)
    years = set(latest)
    if with_recent:
        years |= {last_complete_year(), last_complete_year() + 1}
    return [AnnualYearLink(y, academic_year_label(y), latest.get(y)) for y in sorted(years, reverse=True)]


def annual_not_generated(partnership: Partnership, today: datetime.date | None = None) -> int | None:
    """The last complete academic year, if the partnership had members in it and its annual report has
    not been generated (for the coordinator's dashboard); else None. Two queries."""
    year = last_complete_year(today)
    if AnnualReport.objects.filter(partnership=partnership, academic_year=year).exists():
        return None
    first, last = year_bounds(year)
    return year if member_school_ids_between(partnership, first, last) else None


def annual_report_of(partnership: Partnership, academic_year: int, version: int | None = None) -> AnnualReport | None:
    """The year's report: the version asked for, or the latest; None when there is none. One query."""
    reports = AnnualReport.objects.filter(partnership=partnership, academic_year=academic_year).select_related(
        "generated_by"
    )
    if version is not None:
        return reports.filter(version=version).first()
    return reports.order_by("-version").first()


def annual_report_may_read(tenant) -> bool:
    """THE rule: the coordinator, and the headteachers and governors of member schools (those who read
    their school's governors' reports), read the partnership's annual report."""
    return tenant.has("manage_reports") or bool(readable_school_ids(tenant))
