"""Reads for the development area pages: each year's areas, their plans and every school's participation.

Every function runs a fixed number of queries, whatever the number of schools and areas.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from core.exports import Column, Kind, Table
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Membership,
    Partnership,
)
from partnerships.models.development import Status
from partnerships.selectors.constitution import constitution_of
from schools.models import Person, School

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def current_academic_year(on: datetime.date | None = None) -> int:
    return academic_year_of(on or timezone.localdate())


def year_from(value, default: int | None = None) -> int:
    """An academic year from a query string, or the current one when the value is missing or odd."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return default if default is not None else current_academic_year()
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return default if default is not None else current_academic_year()
    return year


def area_years() -> list[int]:
    """The academic years that have development areas, and the current year, newest first."""
    years = set(DevelopmentArea.objects.values_list("academic_year", flat=True).distinct())
    years.add(current_academic_year())
    return sorted(years, reverse=True)


def year_choices() -> list[tuple[int, str]]:
    """The years an area can be planned for: the last few (to record past work) and the next two."""
    now = current_academic_year()
    return [(year, academic_year_label(year)) for year in range(now + 2, now - 6, -1)]


def areas_for_year(year: int):
    done = Q(actions__status=Status.DONE)
    return (
        DevelopmentArea.objects.filter(academic_year=year)
        .select_related("coordinator", "coordinator__school")
        .annotate(
            school_count=Count("participations", distinct=True),
            action_count=Count("actions", distinct=True),
            actions_done=Count("actions", filter=done, distinct=True),
        )
        .order_by("name", "pk")
    )


def areas_table(areas, year: int) -> Table:
    """A year's development areas as a download, as the areas page lists them (`areas_for_year`)."""
    return Table(
        title=f"Development areas {academic_year_label(year)}",
        columns=[
            Column("Area"),
            Column("Development coordinator"),
            Column("Coordinator's school"),
            Column("Schools", Kind.INTEGER),
            Column("Actions", Kind.INTEGER),
            Column("Actions done", Kind.INTEGER),
            Column("Status"),
        ],
        rows=[
            (
                area.name,
                area.coordinator.full_name if area.coordinator_id else "Not chosen",
                area.coordinator.school.name if area.coordinator_id else None,
                area.school_count,
                area.action_count,
                area.actions_done,
                area.get_status_display(),
            )
            for area in areas
        ],
    )


def area_detail(area: DevelopmentArea) -> dict:
    return {
        "area": area,
        "year_label": academic_year_label(area.academic_year),
        "actions": list(
            DevelopmentAction.objects.filter(area=area).select_related("owner", "owner__school").order_by("due", "pk")
        ),
        "milestones": list(DevelopmentMilestone.objects.filter(area=area).order_by("due", "pk")),
        "participations": list(
            AreaParticipation.objects.filter(area=area).select_related("school", "lead").order_by("school__name")
        ),
    }


def headteachers_of_current_members(on: datetime.date | None = None):
    current = Membership.objects.current(on).values("school_id")
    return (
        Person.objects.filter(school_id__in=current, position=Person.Position.HEADTEACHER)
        .select_related("school")
        .order_by("school__name", "full_name", "pk")
    )


@dataclass
class SchoolParticipation:
    school: School
    entries: list[tuple[DevelopmentArea, Person | None]] = field(default_factory=list)  # (area, lead)
    below_minimum: bool = False

    @property
    def areas(self) -> list[DevelopmentArea]:
        return [area for area, _ in self.entries]

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass
class YearParticipation:
    year: int
    areas: list[DevelopmentArea]
    schools: list[SchoolParticipation]
    minimum: int | None  # None: the agreement does not say
    target: int | None

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    @property
    def below_minimum(self) -> list[SchoolParticipation]:
        return [row for row in self.schools if row.below_minimum]

    @property
    def area_count_is_off_target(self) -> bool:
        """The agreement asks for "about" N areas: more than one away from it deserves a warning."""
        return bool(self.target) and abs(len(self.areas) - self.target) > 1


def participation_for_year(partnership: Partnership, year: int, on: datetime.date | None = None) -> YearParticipation:
    """Every current member school with the areas it takes part in this year, against the minimum."""
    rules = constitution_of(partnership)
    members = list(Membership.objects.current(on).select_related("school").order_by("school__name", "pk"))
    areas = list(DevelopmentArea.objects.filter(academic_year=year).order_by("name", "pk"))
    by_area = {area.pk: area for area in areas}
    rows = {m.school_id: SchoolParticipation(m.school) for m in members}
    for part in AreaParticipation.objects.filter(area__academic_year=year).select_related("lead").order_by("pk"):
        row = rows.get(part.school_id)
        if row is not None:
            row.entries.append((by_area[part.area_id], part.lead))
    for row in rows.values():
        row.entries.sort(key=lambda entry: entry[0].name)
        row.below_minimum = rules.development_area_minimum is not None and row.count < rules.development_area_minimum
    return YearParticipation(
        year=year,
        areas=areas,
        schools=list(rows.values()),
        minimum=rules.development_area_minimum,
        target=rules.development_area_target,
    )


def participation_table(participation: YearParticipation) -> Table:
    """A year's participation as a download, as its page lists it: each member school, the areas it
    takes part in with its lead in each (a line each), how many, and whether that is below the minimum."""
    return Table(
        title=f"Participation {academic_year_label(participation.year)}",
        columns=[
            Column("School"),
            Column("Areas, with the school's lead"),
            Column("Number", Kind.INTEGER),
            Column("Below the minimum"),
        ],
        rows=[
            (
                row.school.name,
                "\n".join(f"{area.name}: {lead.full_name if lead else 'lead not named'}" for area, lead in row.entries)
                or None,
                row.count,
                "Yes" if row.below_minimum else "No",
            )
            for row in participation.schools
        ],
    )


def areas_for_school(school: School, year: int | None = None):
    """The development areas a school takes part in (for school pages), with its lead in each."""
    year = year if year is not None else current_academic_year()
    return (
        AreaParticipation.objects.filter(school=school, area__academic_year=year)
        .select_related("area", "lead", "area__coordinator")
        .order_by("area__name")
    )
