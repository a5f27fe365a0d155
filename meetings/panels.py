"""Meetings' panels (core/panels.py), registered by MeetingsConfig.ready():

- on the dashboard, the next meetings, the invitations the person has not answered and their overdue
  actions;
- on the dashboard's warnings, for the chair (and the coordinator), schools to follow up for missing
  partnership meetings in a row;
- on a school's page, its run of absences and the chair's follow-up;
- at a glance, for the chair and the coordinator, the year's attendance as a heat map (school by
  meeting, the schools that missed one);
- for the chair and the vice chair, their term of office, the next election, and the agendas, minutes
  and decisions waiting for them.
"""

from django.db.models import Count, Window
from django.utils import timezone
from django.utils.formats import date_format

from core.charts import Mark, heat_map
from core.panels import Panel
from meetings.models import Attendance, Meeting
from meetings.selectors import (
    absence_flags,
    attendance_of_year,
    chairs_business,
    meetings_upcoming,
    next_meeting_readiness,
    overdue_actions,
    unanswered_invitations,
)
from meetings.services.minutes import may_follow_up
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.selectors.constitution import request_constitution
from partnerships.selectors.offices import office_terms


def next_meetings(request, **kwargs) -> dict | None:
    if not request.tenant.has("view_meetings"):
        return None
    now = timezone.now()
    upcoming = list(meetings_upcoming(now).filter(status=Meeting.Status.SCHEDULED)[:3])
    unanswered, unanswered_total = _first(unanswered_invitations(request.user, now), 5)
    overdue, overdue_total = _first(overdue_actions(request.user, timezone.localdate()), 5)
    return {
        "upcoming_meetings": upcoming,
        "unanswered": unanswered,
        "unanswered_total": unanswered_total,
        "overdue": overdue,
        "overdue_total": overdue_total,
    }


def _first(queryset, limit: int) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all, in one query (a window count is taken
    before the LIMIT), so "you have not answered 7" is true when only 5 are listed."""
    rows = list(queryset.annotate(in_all=Window(Count("pk")))[:limit])
    return rows, rows[0].in_all if rows else 0


def follow_ups_due(request, **kwargs) -> dict | None:
    if not request.tenant.has("view_meetings") or not may_follow_up(request.tenant.roles):
        return None
    flags = absence_flags(request.partnership, timezone.now(), constitution=request_constitution(request))
    flags = [flag for flag in flags if flag.follow_up is None]
    return {"flags": flags} if flags else None


def school_absences(request, school=None, constitution=None, **kwargs) -> dict | None:
    if school is None or not request.tenant.has("view_meetings"):
        return None
    flags = absence_flags(request.partnership, timezone.now(), school=school, constitution=constitution)
    if not flags:
        return None
    return {"flag": flags[0], "can_follow_up": may_follow_up(request.tenant.roles)}


def meeting_needs(request, **kwargs) -> dict | None:
    """For those who run meetings: the next meeting's answers still missing and notices not delivered,
    and how many action points are overdue across the partnership."""
    if not request.tenant.has("manage_meetings"):
        return None
    readiness = next_meeting_readiness(timezone.now())
    actions_overdue = overdue_actions(None, timezone.localdate()).count()
    if readiness is not None and not (readiness.unanswered or readiness.undelivered):
        readiness = None
    if readiness is None and not actions_overdue:
        return None
    return {"readiness": readiness, "actions_overdue": actions_overdue}


PANEL = Panel(slot="dashboard", name="meetings", template="meetings/panels/next.html", context=next_meetings, order=10)
PANELS = [
    PANEL,
    Panel(
        slot="dashboard_warnings",
        name="absences",
        template="meetings/panels/follow_ups.html",
        context=follow_ups_due,
    ),
    Panel(
        slot="dashboard_needs",
        name="meeting_needs",
        template="meetings/panels/needs.html",
        context=meeting_needs,
        order=10,
    ),
    Panel(slot="school", name="absences", template="meetings/panels/school_absences.html", context=school_absences),
]


# --- The year's attendance as a heat map, for the chair and the coordinator --------------------------

# Darker is worse; the letter says it without colour. Dark ink on the light shades, white on the dark.
ATTENDANCE_MARKS = {
    Attendance.Status.PRESENT: Mark("P", "Present", "#cce2d8"),
    Attendance.Status.SUBSTITUTE: Mark("S", "Substitute", "#bbd4ea"),
    Attendance.Status.APOLOGIES: Mark("A", "Apologies", "#f47738"),
    Attendance.Status.ABSENT: Mark("X", "Absent without apologies", "#942514", ink="#ffffff"),
}
# The dashboard shows at most this many schools (those that missed most first): the map stays legible
# for a partnership of 200 schools, and each meeting's attendance page has the rest.
HEAT_MAP_ROWS = 20


def attendance_map(request, **kwargs) -> dict | None:
    """The schools that missed a partnership meeting this academic year, meeting by meeting: two queries."""
    if not request.tenant.has("view_meetings") or not may_follow_up(request.tenant.roles):
        return None
    year = attendance_of_year(request.partnership, academic_year_of(timezone.localdate()))
    if not year.recorded:
        return None
    missing = year.missing_any()
    shown = missing[:HEAT_MAP_ROWS]
    columns = [f"{timezone.localtime(meeting.starts):%-d %b}" for meeting in year.meetings]
    label = academic_year_label(year.academic_year)
    statuses = Attendance.Status
    totals = [(ATTENDANCE_MARKS[status], year.totals.get(status, 0)) for status in statuses.values]
    summary = ", ".join(f"{mark.label.lower()} {count}" for mark, count in totals)
    description = (
        f"{len(year.meetings)} partnership meetings in {label}, {year.recorded} attendance records: {summary}. "
        f"{len(missing)} of {len(year.rows)} schools missed a meeting"
        + (f"; the {len(shown)} that missed most are shown." if len(shown) < len(missing) else ".")
    )
    chart = None
    if shown:
        chart = heat_map(
            title=f"Schools that missed a partnership meeting, {label}",
            description=description,
            columns=columns,
            rows=[(row.name, row.statuses) for row in shown],
            marks=ATTENDANCE_MARKS,
            blank="Not recorded yet",
        )
    return {
        "attendance_year": year,
        "attendance_label": label,
        "attendance_chart": chart,
        "attendance_totals": totals,
        # Each cell with its meeting's date, which labels the cell when a phone stacks the rows.
        "attendance_rows": [
            (
                row,
                [
                    (
                        date_format(timezone.localtime(meeting.starts), "j M"),
                        ATTENDANCE_MARKS[status] if status else None,
                    )
                    for meeting, status in zip(year.meetings, row.statuses, strict=True)
                ],
            )
            for row in shown
        ],
        "attendance_missing": len(missing),
        "attendance_marks": ATTENDANCE_MARKS.values(),
    }


# --- What waits for the chair, and their term of office ----------------------------------------------


def chair_panel(request, roles=None, **kwargs) -> dict | None:
    """For the chair and the vice chair: their term of office and the next election (two queries), and what
    waits for them as chair of meetings to come: agendas to agree, minutes to approve, decisions ahead (two
    more). `roles` are the person's roles in force as the dashboard's "Your roles" has them."""
    if not any(held.is_office for held in roles or []):
        return None
    terms = office_terms(request.partnership, roles, constitution=request_constitution(request))
    business = chairs_business(request.user, timezone.now()) if request.tenant.has("view_meetings") else None
    return {"office_terms": terms, "business": business}


PANELS += [
    Panel(
        slot="dashboard_charts",
        name="attendance_map",
        template="meetings/panels/attendance_map.html",
        context=attendance_map,
        order=10,
    ),
    Panel(slot="dashboard", name="chair", template="meetings/panels/chair.html", context=chair_panel, order=5),
]
