"""Meetings: everyone but the local authority observer sees them; the coordinator schedules them."""

from meetings.models import Invitee, Meeting
from partnerships.roles import Role
from tests.factories.meetings import InviteeFactory, MeetingFactory

R = Role
_VIEWERS = set(Role) - {R.LA_OBSERVER}  # view_meetings
_COORDINATOR = {R.COORDINATOR}  # manage_meetings


def _meeting(tenant):
    meeting = Meeting.objects.filter(partnership=tenant.partnership, title="Registry meeting").first()
    return meeting or MeetingFactory(
        partnership=tenant.partnership, title="Registry meeting", organiser=tenant.coordinator
    )


def _invitee(tenant):
    meeting = _meeting(tenant)
    invitee = Invitee.objects.filter(meeting=meeting, user=tenant.headteacher).first()
    return (invitee or InviteeFactory(meeting=meeting, user=tenant.headteacher, school=tenant.schools[0])).pk


OBJECT_KWARGS = {
    "meeting_pk": lambda tenant: _meeting(tenant).pk,
    "invitee_pk": _invitee,
}

ALLOWED = {
    "meetings:list": _VIEWERS,
    "meetings:list_export": _VIEWERS,
    "meetings:actions_export": _VIEWERS,
    "meetings:detail": _VIEWERS,
    "meetings:answer": _VIEWERS,
    "meetings:schedule": _COORDINATOR,
    "meetings:change": _COORDINATOR,
    "meetings:cancel": _COORDINATOR,
    "meetings:invitee_add": _COORDINATOR,
    "meetings:invitee_remove": _COORDINATOR,
}


def _feed_token(tenant):
    """A live calendar link of the tenant's headteacher, with a token the test knows."""
    from meetings.models import CalendarFeed
    from meetings.selectors import feed_token_hash

    token = f"registry-token-{tenant.slug}"
    CalendarFeed.objects.get_or_create(
        partnership=tenant.partnership, user=tenant.headteacher, token_hash=feed_token_hash(token)
    )
    return token


OBJECT_KWARGS["token"] = _feed_token
ALLOWED.update(
    {
        "meetings:attendance": _COORDINATOR,  # and the meeting's note-taker, whoever they are
        "meetings:attendance_export": _COORDINATOR,  # the same
        "meetings:calendar": _VIEWERS,
        "meetings:calendar_link": _VIEWERS,
        "meetings:calendar_stop": _VIEWERS,
        "meetings:partnership_ics": _VIEWERS,
        "meetings:feed": set(Role),  # the token is the capability: whoever holds it, signed in or not
    }
)


def _answer_token(tenant):
    from meetings.selectors import answer_link_token

    return answer_link_token(Invitee.objects.get(pk=_invitee(tenant)))


OBJECT_KWARGS["answer_token"] = _answer_token
ALLOWED["meetings:answer_link"] = set(Role)  # the signed link in the email is the capability


def _agenda(tenant):
    """The registry meeting's published agenda: an open item, and a confidential item with a paper."""
    from meetings.models import AgendaItem
    from tests.factories.meetings import AgendaItemFactory, paper_for

    meeting = _meeting(tenant)
    if not meeting.items.exists():
        Meeting.objects.filter(pk=meeting.pk).update(agenda_status="published", papers_version=1)
        AgendaItemFactory(meeting=meeting, position=1, title="Headteachers' updates")
        secret = AgendaItemFactory(meeting=meeting, position=2, title="Staffing", confidential=True)
        paper_for(secret, uploaded_by=tenant.coordinator, text="Confidential")
    return AgendaItem.objects.filter(meeting=meeting)


# The registry meeting always has its agenda, so its pack is there to fetch.
OBJECT_KWARGS["meeting_pk"] = lambda tenant: _agenda(tenant).first().meeting_id
OBJECT_KWARGS["item_pk"] = lambda tenant: _agenda(tenant).get(position=1).pk
OBJECT_KWARGS["paper_pk"] = lambda tenant: _agenda(tenant).get(position=2).papers.get().pk
ALLOWED.update(
    {
        # Drafting the agenda: the coordinator, and the meeting's chair (the registry meeting has none).
        "meetings:agenda": _COORDINATOR,
        "meetings:agenda_item_add": _COORDINATOR,
        "meetings:agenda_item_change": _COORDINATOR,
        "meetings:agenda_item_remove": _COORDINATOR,
        "meetings:agenda_item_move": _COORDINATOR,
        "meetings:agenda_agree": _COORDINATOR,
        "meetings:papers_deadline": _COORDINATOR,
        "meetings:item_papers": _COORDINATOR,  # and the item's presenter
        "meetings:agenda_publish": _COORDINATOR,
        # The published agenda's pack: everyone who sees meetings (each gets the items they may read).
        "meetings:pack": _VIEWERS,
        # A confidential paper: those invited, the chair, the note-taker and the coordinator; to anyone
        # else it does not exist.
        "meetings:paper": _COORDINATOR,
        "meetings:paper_remove": _COORDINATOR,
    }
)
NOT_FOUND = {
    "meetings:paper": _VIEWERS - _COORDINATOR,
    "meetings:paper_remove": _VIEWERS - _COORDINATOR,
}


def _minutes_and_action(tenant):
    """The registry meeting's minutes, circulated (so every reader, the local authority included where
    the agreement sends it the minutes, may read them), and an action of the tenant's headteacher."""
    from django.utils import timezone

    from meetings.models import ActionPoint, Minutes

    meeting = _meeting(tenant)
    Minutes.objects.get_or_create(meeting=meeting, defaults={"status": "circulated", "circulated_at": timezone.now()})
    action = ActionPoint.objects.filter(meeting=meeting).first()
    return action or ActionPoint.objects.create(
        meeting=meeting,
        description="Send the budget",
        owner=tenant.headteacher,
        due=timezone.localdate(),
        created_by=tenant.coordinator,
    )


OBJECT_KWARGS["meeting_pk"] = lambda tenant: (_agenda(tenant), _minutes_and_action(tenant))[1].meeting_id
OBJECT_KWARGS["action_pk"] = lambda tenant: _minutes_and_action(tenant).pk
ALLOWED.update(
    {
        # Circulated minutes: everyone, the local authority's observers included (the test partnership's
        # agreement sends them the minutes). Draft minutes: the note-taker, the coordinator and the chair.
        "meetings:minutes": set(Role),
        "meetings:minutes_pdf": set(Role),
        "meetings:minutes_write": _COORDINATOR,  # and the meeting's note-taker
        "meetings:minutes_circulate": _COORDINATOR,  # and the meeting's note-taker
        "meetings:minutes_approve": _COORDINATOR,  # and the approving meeting's chair
        "meetings:actions": _VIEWERS,
        "meetings:action_done": _COORDINATOR,  # and the action's owner
        "meetings:follow_up": _COORDINATOR | {R.CHAIR},
    }
)


# A series, the month's calendar, resending a failed notice and printing one.
OBJECT_KWARGS["year"] = lambda tenant: 2026
OBJECT_KWARGS["month"] = lambda tenant: 12
PLAIN_KWARGS = {"year": "a calendar month's year, no object", "month": "a calendar month, no object"}
ALLOWED.update(
    {
        "meetings:series": _COORDINATOR,
        "meetings:month": _VIEWERS,
        "meetings:notice_resend": _COORDINATOR,
        "meetings:notice_print": _COORDINATOR,
    }
)
