"""The meetings panel on the partnership's dashboard: the next meetings, and the invitations the
signed-in person has not answered. Registered by MeetingsConfig.ready()."""

from django.utils import timezone

from core.panels import Panel
from meetings.models import Meeting
from meetings.selectors import meetings_upcoming, unanswered_invitations


def next_meetings(request, **kwargs) -> dict | None:
    if not request.tenant.has("view_meetings"):
        return None
    now = timezone.now()
    upcoming = list(meetings_upcoming(now).filter(status=Meeting.Status.SCHEDULED)[:3])
    unanswered = list(unanswered_invitations(request.user, now)[:5])
    return {"upcoming_meetings": upcoming, "unanswered": unanswered}


PANEL = Panel(slot="dashboard", name="meetings", template="meetings/panels/next.html", context=next_meetings, order=10)
