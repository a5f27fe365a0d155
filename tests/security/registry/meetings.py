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
