"""Meetings' panels (core/panels.py), registered by MeetingsConfig.ready():

- on the dashboard, the next meetings, the invitations the person has not answered and their overdue
  actions;
- on the dashboard's warnings, for the chair (and the coordinator), schools to follow up for missing
  partnership meetings in a row;
- on a school's page, its run of absences and the chair's follow-up.
"""

from django.utils import timezone

from core.panels import Panel
from meetings.models import Meeting
from meetings.selectors import (
    absence_flags,
    meetings_upcoming,
    next_meeting_readiness,
    overdue_actions,
    unanswered_invitations,
)
from meetings.services.minutes import may_follow_up


def next_meetings(request, **kwargs) -> dict | None:
    if not request.tenant.has("view_meetings"):
        return None
    now = timezone.now()
    upcoming = list(meetings_upcoming(now).filter(status=Meeting.Status.SCHEDULED)[:3])
    unanswered = list(unanswered_invitations(request.user, now)[:5])
    overdue = list(overdue_actions(request.user, timezone.localdate())[:5])
    return {"upcoming_meetings": upcoming, "unanswered": unanswered, "overdue": overdue}


def follow_ups_due(request, **kwargs) -> dict | None:
    if not request.tenant.has("view_meetings") or not may_follow_up(request.tenant.roles):
        return None
    flags = [flag for flag in absence_flags(request.partnership, timezone.now()) if flag.follow_up is None]
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
