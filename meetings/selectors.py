"""Reads about meetings: who a meeting invites, and the notice rule. They never write."""

from __future__ import annotations

import calendar as pycalendar
import datetime
import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.exports import Column, Kind, Table
from core.models import OutboxMessage
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    FollowUp,
    Invitee,
    Meeting,
    Minutes,
    Paper,
)
from partnerships.calendar import academic_year_label
from partnerships.models import Constitution, GroupMember, Membership, Partnership, RoleAssignment
from partnerships.models.constitution import DEFAULT_NOTICE_DAYS
from partnerships.roles import Role
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.permissions import partnership_permissions
from schools.models import School

# DEFAULT_NOTICE_DAYS is used where the agreement sets no notice period: scheduling inside it warns,
# never refuses. It is the constitution's own default, defined once there.


def clear_days(sent_on: datetime.date, meeting_on: datetime.date) -> int:
    """Whole days between sending a notice and the meeting, not counting either day (clear days, as the
    governance regulations count them): sent on Monday for Thursday is 2 clear days."""
    return (meeting_on - sent_on).days - 1


@dataclass(frozen=True)
class NoticeCheck:
    """The notice a meeting gets, against what the agreement asks."""

    clear_days: int
    required_days: int | None  # None: the agreement sets no notice period

    @property
    def agreement_is_silent(self) -> bool:
        return self.required_days is None

    @property
    def expected_days(self) -> int:
        return DEFAULT_NOTICE_DAYS if self.required_days is None else self.required_days

    @property
    def is_short(self) -> bool:
        return self.clear_days < self.expected_days

    @property
    def needs_reason(self) -> bool:
        """Short of the agreement's own notice period: only with a recorded reason (urgency)."""
        return self.required_days is not None and self.clear_days < self.required_days

    def explanation(self) -> str:
        days = f"{self.clear_days} clear day{'' if self.clear_days == 1 else 's'}"
        if self.agreement_is_silent:
            return (
                f"This gives {days}' notice. The agreement sets no notice period; "
                f"{DEFAULT_NOTICE_DAYS} clear days is the usual courtesy."
            )
        return f"This gives {days}' notice. The agreement asks for {self.required_days} clear days."


def notice_check(*, constitution: Constitution, sent_on: datetime.date, meeting_on: datetime.date) -> NoticeCheck:
    """The partnership's notice rule applied to a notice sent on `sent_on` for a meeting on `meeting_on`."""
    return NoticeCheck(clear_days=clear_days(sent_on, meeting_on), required_days=constitution.notice_days)


@dataclass(frozen=True)
class Invitation:
    """Someone a meeting's kind invites: an account holder, a person on a school's list, or both."""

    user_id: int | None
    person_id: int | None
    school_id: int | None


# Who each kind of meeting invites, by role, besides the coordinators who run it.
_ROLES_BY_KIND: dict[str, frozenset[str]] = {
    Meeting.Kind.PARTNERSHIP: frozenset({Role.HEADTEACHER}),
    Meeting.Kind.ANNUAL_PLANNING: frozenset({Role.HEADTEACHER}),
    Meeting.Kind.EVENT: frozenset({Role.HEADTEACHER}),
    Meeting.Kind.TRAINING_DAY: frozenset({Role.HEADTEACHER}),
    Meeting.Kind.STRATEGY: frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.STRATEGY_REP}),
    Meeting.Kind.HEADS_AND_CHAIRS: frozenset({Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS}),
}


def invitations_for(
    *, partnership: Partnership, kind: str, on: datetime.date, group_id: int | None = None
) -> list[Invitation]:
    """Who a meeting of `kind` on day `on` invites: the role holders its kind names (of schools that are
    members that day), the coordinators; for a group's meeting, the group's members. One entry a person."""
    if kind in Meeting.GROUP_KINDS:
        members = GroupMember.objects.filter(group_id=group_id).select_related("person")
        return [Invitation(m.person.user_id, m.person_id, m.person.school_id) for m in members]
    members = set(Membership.objects.filter(partnership=partnership).current(on).values_list("school_id", flat=True))
    roles = (
        RoleAssignment.objects.filter(partnership=partnership, role__in=_ROLES_BY_KIND[kind] | {Role.COORDINATOR})
        .active(on)
        .order_by("user__full_name", "pk")
        .values_list("user_id", "school_id")
    )
    heads = dict(
        RoleAssignment.objects.filter(partnership=partnership, role=Role.HEADTEACHER, school_id__in=members)
        .active(on)
        .values_list("user_id", "school_id")
    )
    found: dict[int, Invitation] = {}
    for user_id, school_id in roles:
        if school_id is not None and school_id not in members:
            continue  # a role for a school that is not a member that day
        # The school a person comes for: their role's school, or for a chair the school they lead.
        school_id = school_id or heads.get(user_id)
        if user_id not in found or (found[user_id].school_id is None and school_id is not None):
            found[user_id] = Invitation(user_id, None, school_id)
    return list(found.values())


def meeting_invitees(meeting: Meeting) -> QuerySet[Invitee]:
    """The people invited now (not those taken off), with what their names and addresses need."""
    return (
        meeting.invitees.filter(removed_at__isnull=True)
        .select_related("user", "person", "school", "substitute_for__user", "substitute_for__person")
        .order_by("school__name", "pk")
    )


def meetings_upcoming(on: datetime.datetime | None = None) -> QuerySet[Meeting]:
    on = on or timezone.now()
    return Meeting.objects.filter(ends__gte=on).select_related("venue_school", "group").order_by("starts", "pk")


def meetings_past(on: datetime.datetime | None = None) -> QuerySet[Meeting]:
    on = on or timezone.now()
    return Meeting.objects.filter(ends__lt=on).select_related("venue_school", "group").order_by("-starts", "-pk")


def meetings_table(now: datetime.datetime) -> Table:
    """The meetings list as a download: those coming up, soonest first, then those held, latest first,
    with the status the page shows. Two queries, however many meetings."""

    def status(meeting: Meeting, held: bool) -> str:
        if meeting.is_cancelled:
            return "Cancelled"
        return "Held" if held else "Scheduled"

    def rows():
        for held, meetings in ((False, meetings_upcoming(now)), (True, meetings_past(now))):
            for meeting in meetings.iterator(chunk_size=2000):
                starts, ends = timezone.localtime(meeting.starts), timezone.localtime(meeting.ends)
                yield (
                    meeting.title,
                    meeting.get_kind_display(),
                    starts.date(),
                    f"{starts:%H:%M}",
                    f"{ends:%H:%M}",
                    meeting.place,
                    status(meeting, held),
                )

    return Table(
        title="Meetings",
        columns=[
            Column("Meeting"),
            Column("Kind"),
            Column("Date", Kind.DATE),
            Column("Starts"),
            Column("Ends"),
            Column("Where"),
            Column("Status"),
        ],
        rows=rows(),
    )


def unanswered_invitations(user, now: datetime.datetime) -> QuerySet[Invitee]:
    """The invitations to meetings still to come that `user` has not answered, soonest first."""
    return (
        Invitee.objects.filter(
            user=user,
            removed_at__isnull=True,
            answer=Invitee.Answer.NONE,
            substitute_for__isnull=True,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__ends__gte=now,
        )
        .select_related("meeting")
        .order_by("meeting__starts", "pk")
    )


@dataclass(frozen=True)
class MeetingReadiness:
    """What the organiser still has to chase before a meeting: answers, and notices not delivered."""

    meeting: Meeting
    invited: int
    unanswered: int
    undelivered: int  # the latest notice to an address failed, or is still waiting to go


def next_meeting_readiness(now: datetime.datetime) -> MeetingReadiness | None:
    """The next scheduled meeting with its answers and notices counted: three queries."""
    meeting = meetings_upcoming(now).filter(status=Meeting.Status.SCHEDULED).first()
    if meeting is None:
        return None
    counts = Invitee.objects.filter(meeting=meeting, removed_at__isnull=True, substitute_for__isnull=True).aggregate(
        invited=Count("pk"), unanswered=Count("pk", filter=Q(answer=Invitee.Answer.NONE))
    )
    delivered = (OutboxMessage.State.SENT,)
    undelivered = sum(1 for message in meeting_notices(meeting).values() if message.state not in delivered)
    return MeetingReadiness(meeting, counts["invited"], counts["unanswered"], undelivered)


def meeting_notices(meeting: Meeting) -> dict[str, OutboxMessage]:
    """The latest notice to each address about this meeting (its delivery state), by address."""
    latest: dict[str, OutboxMessage] = {}
    for message in OutboxMessage.objects.filter(about=f"meeting:{meeting.pk}").order_by("version", "pk"):
        latest[message.recipient] = message
    return latest


def meeting_detail(meeting: Meeting, viewer) -> dict:
    """What the meeting page shows: who is invited, by school, with each one's answer and latest notice,
    and the viewer's own invitation (`mine`) with the substitutes they send."""
    notices = meeting_notices(meeting)
    invitees = list(meeting_invitees(meeting))
    mine = None
    for invitee in invitees:
        invitee.notice = notices.get((invitee.email or "").lower())
        invitee.current_substitutes = [i for i in invitees if i.substitute_for_id == invitee.pk]
        if invitee.user_id == viewer.pk:
            mine = invitee
    return {"meeting": meeting, "invitees": invitees, "mine": mine, "is_past": meeting.ends <= timezone.now()}


# A feed carries meetings from this long ago, so a calendar keeps the recent past.
FEED_HISTORY = datetime.timedelta(days=180)


def feed_token_hash(token: str) -> str:
    """What is kept of a calendar link's token: its SHA-256, so the database alone opens no calendar."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_holder(token: str):
    """The person whose live calendar link has this token, if they still have a role in the
    partnership today (a link never outlives its holder's roles); None otherwise. In the active scope,
    so another partnership's token finds nobody."""
    feed = (
        CalendarFeed.objects.filter(token_hash=feed_token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        return None
    if not RoleAssignment.objects.filter(partnership_id=feed.partnership_id, user=feed.user).active().exists():
        return None
    return feed.user


def has_live_feed(user) -> bool:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def feed_meetings_for(user, now: datetime.datetime) -> QuerySet[Meeting]:
    """The meetings `user` is invited to (cancelled ones too, so calendars drop them), recent and to come."""
    return (
        Meeting.objects.filter(invitees__user=user, invitees__removed_at__isnull=True, ends__gte=now - FEED_HISTORY)
        .select_related("partnership", "organiser", "venue_school", "chair")
        .distinct()
        .order_by("starts", "pk")
    )


def partnership_calendar(now: datetime.datetime) -> QuerySet[Meeting]:
    """Every meeting of the partnership in the active scope, recent and to come."""
    return (
        Meeting.objects.filter(ends__gte=now - FEED_HISTORY)
        .select_related("partnership", "organiser", "venue_school", "chair")
        .order_by("starts", "pk")
    )


@dataclass(frozen=True)
class Quorum:
    """How many schools a meeting needs and has. `needed` is None where there is no quorum: the
    agreement sets none, or it is a group's meeting (groups have no quorum of their own yet)."""

    schools: int
    represented: int
    needed: int | None

    @property
    def applies(self) -> bool:
        return self.needed is not None

    @property
    def is_quorate(self) -> bool | None:
        return None if self.needed is None else self.represented >= self.needed

    def explanation(self) -> str:
        at = f"{self.represented} of {self.schools} school{'' if self.schools == 1 else 's'} represented"
        if self.needed is None:
            return f"{at}. There is no quorum for this meeting: the agreement sets none."
        verdict = "The meeting is quorate" if self.is_quorate else "The meeting is not quorate"
        return f"{at}; {self.needed} needed. {verdict}."


def meeting_schools(meeting: Meeting) -> list[School]:
    """The schools whose attendance is recorded: for a group's meeting, the schools of those invited;
    otherwise every member school on the day of the meeting."""
    if meeting.kind in Meeting.GROUP_KINDS:
        ids = meeting.invitees.filter(removed_at__isnull=True, school__isnull=False).values("school_id")
    else:
        day = timezone.localtime(meeting.starts).date()
        ids = Membership.objects.filter(partnership=meeting.partnership).current(day).values("school_id")
    return list(School.objects.filter(pk__in=ids).order_by("name"))


def quorum_of(meeting: Meeting, schools: int, represented: int) -> Quorum:
    """The constitution's quorum rule applied to a meeting: member schools present or represented by a
    substitute, over the member schools on the day (one rule: Constitution.quorum_schools)."""
    needed = None
    if meeting.kind not in Meeting.GROUP_KINDS:
        needed = constitution_of(meeting.partnership).quorum_schools(schools)
    return Quorum(schools=schools, represented=represented, needed=needed)


def attendance_sheet(meeting: Meeting) -> dict:
    """The note-taker's page: each school with its recorded attendance and its invitees' answers, and
    the quorum as it stands."""
    schools = meeting_schools(meeting)
    recorded = {a.school_id: a for a in Attendance.objects.filter(meeting=meeting)}
    answers: dict[int, list[Invitee]] = {}
    for invitee in meeting_invitees(meeting).filter(school__isnull=False):
        answers.setdefault(invitee.school_id, []).append(invitee)
    rows = [{"school": s, "attendance": recorded.get(s.pk), "invitees": answers.get(s.pk, [])} for s in schools]
    represented = sum(1 for row in rows if row["attendance"] and row["attendance"].status in Attendance.REPRESENTED)
    return {"rows": rows, "quorum": quorum_of(meeting, len(schools), represented)}


def _answer_word(invitee: Invitee) -> str:
    if invitee.substitute_for_id:
        return "substitute"
    return invitee.get_answer_display().lower() if invitee.answer else "not answered"


def attendance_table(meeting: Meeting, sheet: dict) -> Table:
    """A meeting's attendance as a download, as the note-taker's page lists it (`attendance_sheet`):
    each school expected there, how it was represented, and its invitees' answers given before the
    meeting (never the reason for apologies, which the page does not show either)."""

    def answers(invitees: list[Invitee]) -> str:
        return "; ".join(f"{invitee.name}: {_answer_word(invitee)}" for invitee in invitees) or (
            "Nobody invited from this school"
        )

    return Table(
        title=f"Attendance at {meeting.title}",
        columns=[Column("School"), Column("URN", Kind.REFERENCE), Column("Attendance"), Column("Answers")],
        rows=[
            (
                row["school"].name,
                row["school"].urn,
                row["attendance"].get_status_display() if row["attendance"] else "Not recorded",
                answers(row["invitees"]),
            )
            for row in sheet["rows"]
        ],
    )


_ANSWER_SALT = "meetings.answer-link"


def answer_link_token(invitee: Invitee) -> str:
    """The token of an invitee's answer link in their emails: signed, so it cannot be made up, and
    naming only them; it works while they are invited and the meeting is still to come."""
    return signing.dumps({"invitee": invitee.pk}, salt=_ANSWER_SALT, compress=True)


def invitee_from_answer_token(token: str) -> Invitee | None:
    """The current invitee an answer link names, through the active partnership's scope (so another
    partnership's link is not found); None for a bad or stale link."""
    try:
        pk = signing.loads(token, salt=_ANSWER_SALT)["invitee"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return (
        Invitee.objects.filter(pk=pk, removed_at__isnull=True)
        .select_related("meeting__partnership", "meeting__venue_school", "user", "person", "school")
        .first()
    )


@dataclass(frozen=True)
class MeetingAccess:
    """What one person may do with one meeting's agenda and papers: the one rule, read once per request.

    - The coordinator and the meeting's chair draft the agenda; the chair (or the coordinator on the
      chair's word) agrees it; the coordinator publishes it.
    - Before it is first published, the agenda and its papers are seen by those who draft it and by
      each item's presenter (for their own item); after that, by everyone who sees the partnership's
      meetings (a later change shows at once, and publishing it again tells everyone).
    - A confidential item's papers and notes are seen only by the people invited to the meeting, its
      chair and note-taker, and the coordinator: never by the rest of the partnership, whatever the
      agenda's state.
    - The note-taker and the coordinator take the minutes; draft minutes are seen by them and the chair.
      Circulated and approved minutes are read by everyone who sees meetings, and by the local
      authority's observers where the agreement sends them the minutes (never a confidential item's notes).
    """

    user_id: int | None
    manages: bool
    chairs: bool
    invited: bool
    note_taker: bool
    published: bool
    sees_meetings: bool = False
    la_reader: bool = False

    @property
    def may_edit_agenda(self) -> bool:
        return self.manages or self.chairs

    @property
    def may_agree_agenda(self) -> bool:
        return self.manages or self.chairs

    @property
    def may_publish(self) -> bool:
        return self.manages

    @property
    def may_see_confidential(self) -> bool:
        return self.manages or self.chairs or self.note_taker or self.invited

    def may_see_item(self, item: AgendaItem) -> bool:
        """Whether the item is on this person's agenda at all (its title and purpose)."""
        return (
            self.published or self.may_edit_agenda or (self.user_id is not None and item.presenter_id == self.user_id)
        )

    def may_read(self, item: AgendaItem) -> bool:
        """Whether this person may open the item's papers (and, later, its notes)."""
        if item.confidential and not self.may_see_confidential:
            return False
        return self.may_see_item(item)

    def may_upload(self, item: AgendaItem) -> bool:
        return self.may_edit_agenda or (self.user_id is not None and item.presenter_id == self.user_id)

    @property
    def may_take_minutes(self) -> bool:
        return self.manages or self.note_taker

    def may_read_minutes(self, status: str | None) -> bool:
        """`status` is the minutes' status, or None if there are none yet."""
        if status in (None, "draft"):
            return self.may_take_minutes or self.chairs
        return self.sees_meetings or self.la_reader


def meeting_access(user, meeting: Meeting) -> MeetingAccess:
    if not getattr(user, "is_authenticated", False):
        return MeetingAccess(None, False, False, False, False, meeting.agenda_is_public)
    permissions = partnership_permissions(user, meeting.partnership)
    la_observer = RoleAssignment.objects.filter(
        partnership=meeting.partnership, user=user, role=Role.LA_OBSERVER
    ).active()
    return MeetingAccess(
        user_id=user.pk,
        manages="manage_meetings" in permissions,
        chairs=meeting.chair_id == user.pk,
        invited=meeting.invitees.filter(user=user, removed_at__isnull=True).exists(),
        note_taker=meeting.note_taker_id == user.pk,
        published=meeting.agenda_is_public,
        sees_meetings="view_meetings" in permissions,
        la_reader=bool(constitution_of(meeting.partnership).minutes_to_local_authority) and la_observer.exists(),
    )


def agenda_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda in order, with presenters and papers, in three queries whatever its size."""
    return meeting.items.select_related("presenter").prefetch_related(
        Prefetch("papers", queryset=Paper.objects.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    )


def agenda_for(meeting: Meeting, access: MeetingAccess) -> list[AgendaItem]:
    """The items this person sees, each with `readable` (may they open its papers), `shown_papers`
    (those they may open: none for a confidential item they are not entitled to) and `uploadable`."""
    items = []
    for item in agenda_items(meeting):
        if not access.may_see_item(item):
            continue
        item.readable = access.may_read(item)
        item.shown_papers = list(item.papers.all()) if item.readable else []
        item.uploadable = access.may_upload(item)
        items.append(item)
    return items


# Reminders (sent by the beat sweep in meetings.tasks; each is one outbox row, so never twice).
ANSWER_REMINDER_DAYS = 3  # people who have not answered are reminded this many days before
PAPERS_REMINDER_DAYS = 2  # presenters without a paper are reminded from this many days before the deadline


def answer_reminders_due(now: datetime.datetime) -> QuerySet[Invitee]:
    """Invitees with an email-able invitation and no answer, to meetings starting within
    ANSWER_REMINDER_DAYS that were called at least a day ago (a short-notice invitation is not chased
    at once)."""
    return (
        Invitee.objects.filter(
            removed_at__isnull=True,
            answer=Invitee.Answer.NONE,
            substitute_for__isnull=True,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts__gt=now,
            meeting__starts__lte=now + datetime.timedelta(days=ANSWER_REMINDER_DAYS),
            meeting__created_at__lte=now - datetime.timedelta(days=1),
        )
        .select_related("meeting", "meeting__partnership", "user", "person")
        .order_by("meeting__starts", "pk")
    )


def papers_reminders_due(today: datetime.date) -> QuerySet[AgendaItem]:
    """Items whose presenter has not added a paper, at meetings whose papers deadline is today or within
    PAPERS_REMINDER_DAYS."""
    return (
        AgendaItem.objects.filter(
            presenter__isnull=False,
            papers__isnull=True,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__papers_deadline__gte=today,
            meeting__papers_deadline__lte=today + datetime.timedelta(days=PAPERS_REMINDER_DAYS),
        )
        .select_related("meeting", "meeting__partnership", "presenter")
        .order_by("meeting__starts", "position")
    )


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).select_related("approved_at_meeting", "circulated_by").first()


def minutes_document(meeting: Meeting, access: MeetingAccess) -> dict:
    """What the minutes say, built from the meeting's record, as this reader may see them: attendance
    and apologies, each item's notes, decisions and actions (a confidential item's only for those
    entitled), and the earlier minutes this meeting approved. A constant number of queries."""
    confidential = access.may_see_confidential
    items = list(
        meeting.items.select_related("presenter").prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("recorded_at", "pk")),
            Prefetch("actions", queryset=ActionPoint.objects.select_related("owner").order_by("due", "pk")),
        )
    )
    for item in items:
        item.withheld = item.confidential and not confidential
    sheet = attendance_sheet(meeting)
    apologies = [
        invitee
        for invitee in meeting_invitees(meeting)
        if invitee.answer == Invitee.Answer.APOLOGIES and invitee.substitute_for_id is None
    ]
    return {
        "items": items,
        "rows": sheet["rows"],
        "quorum": sheet["quorum"],
        "apologies": apologies,
        "approvals": list(
            Minutes.objects.filter(approved_at_meeting=meeting).select_related("meeting").order_by("meeting__starts")
        ),
        "unfiled_actions": list(meeting.actions.filter(item__isnull=True).select_related("owner")),
        "confidential": confidential,
    }


def minutes_awaiting_approval(meeting: Meeting) -> QuerySet[Minutes]:
    """Circulated minutes that `meeting` may approve: of earlier meetings of the same kind (and group)."""
    return (
        Minutes.objects.filter(
            status=Minutes.Status.CIRCULATED,
            meeting__kind=meeting.kind,
            meeting__group_id=meeting.group_id,
            meeting__starts__lt=meeting.starts,
        )
        .select_related("meeting")
        .order_by("meeting__starts")
    )


def actions_list(owner=None) -> QuerySet[ActionPoint]:
    """Every action point, soonest due first, with what its list shows."""
    actions = ActionPoint.objects.select_related("owner", "meeting", "item", "done_by").order_by("status", "due", "pk")
    return actions.filter(owner=owner) if owner is not None else actions


def actions_table(actions: QuerySet[ActionPoint], today: datetime.date) -> Table:
    """The action points list as a download: `actions` as the page's filters chose them, every page."""

    def status(action: ActionPoint) -> str:
        if action.status == ActionPoint.Status.DONE:
            return "Done"
        return "Overdue" if action.is_overdue(today) else "Open"

    return Table(
        title="Action points",
        columns=[
            Column("Action"),
            Column("Meeting"),
            Column("Meeting date", Kind.DATE),
            Column("Owner"),
            Column("Due", Kind.DATE),
            Column("Status"),
            Column("Done on", Kind.DATE),
            Column("Done by"),
            Column("What was done"),
        ],
        rows=(
            (
                action.description,
                action.meeting.title,
                timezone.localtime(action.meeting.starts).date(),
                action.owner.full_name,
                action.due,
                status(action),
                timezone.localtime(action.done_at).date() if action.done_at else None,
                action.done_by.full_name if action.done_by_id else None,
                action.done_note or None,
            )
            for action in actions.iterator(chunk_size=2000)
        ),
    )


def overdue_actions(user, today: datetime.date) -> QuerySet[ActionPoint]:
    return actions_list(user).filter(status=ActionPoint.Status.OPEN, due__lt=today)


ACTION_REMINDER_DAYS = 3  # an owner is reminded this many days before an action is due, and the day after


def action_reminders_due(today: datetime.date) -> QuerySet[ActionPoint]:
    """Open actions due within ACTION_REMINDER_DAYS (a 'due soon' reminder) or already overdue (one
    'overdue' reminder the day after the due date)."""
    return (
        ActionPoint.objects.filter(status=ActionPoint.Status.OPEN)
        .filter(
            Q(due__gte=today, due__lte=today + datetime.timedelta(days=ACTION_REMINDER_DAYS))
            | Q(due__lt=today, due__gte=today - datetime.timedelta(days=ACTION_REMINDER_DAYS))
        )
        .select_related("owner", "meeting", "meeting__partnership")
    )


@dataclass(frozen=True)
class AbsenceFlag:
    """A member school absent without apologies from the last `count` partnership meetings in a row
    (Exeter 5.1: the chair investigates continued non-representation), and the chair's follow-up of
    this run of absences, if recorded."""

    school: School
    meetings: list[Meeting]
    follow_up: FollowUp | None

    @property
    def last_absence(self) -> Meeting:
        return self.meetings[0]

    @property
    def count(self) -> int:
        return len(self.meetings)


def absence_flags(
    partnership: Partnership,
    now: datetime.datetime,
    school: School | None = None,
    constitution: Constitution | None = None,
) -> list[AbsenceFlag]:
    """The schools absent without apologies from each of the partnership's last N partnership meetings
    whose attendance was recorded, N being the agreement's number (or the default). Four queries, three
    when the page has read the constitution already."""
    count = (constitution or constitution_of(partnership)).absences_before_follow_up_or_default
    recent = list(
        Meeting.objects.filter(
            partnership=partnership,
            kind=Meeting.Kind.PARTNERSHIP,
            status=Meeting.Status.SCHEDULED,
            ends__lte=now,
        )
        .filter(Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))  # not a join over every row
        .order_by("-starts")[:count]
    )
    if len(recent) < count:
        return []
    absent = Attendance.objects.filter(meeting__in=recent, status=Attendance.Status.ABSENT)
    if school is not None:
        absent = absent.filter(school=school)
    runs: dict[int, int] = {}
    for school_id in absent.values_list("school_id", flat=True):
        runs[school_id] = runs.get(school_id, 0) + 1
    flagged = [school_id for school_id, missed in runs.items() if missed == count]
    if not flagged:
        return []
    follow_ups = {
        f.school_id: f
        for f in FollowUp.objects.filter(school_id__in=flagged, last_absence=recent[0]).select_related("recorded_by")
    }
    schools = School.objects.filter(pk__in=flagged).order_by("name")
    return [AbsenceFlag(school=s, meetings=recent, follow_up=follow_ups.get(s.pk)) for s in schools]


def invitee_notice(meeting: Meeting, invitee: Invitee) -> OutboxMessage | None:
    """The latest notice about this meeting to this invitee's address (None if they have no address or
    none was sent): the one whose delivery the meeting page shows."""
    if not invitee.email:
        return None
    return (
        OutboxMessage.objects.filter(about=f"meeting:{meeting.pk}", recipient=invitee.email.strip().lower())
        .order_by("-version", "-pk")
        .first()
    )


@dataclass(frozen=True)
class MeetingsShortfall:
    """Fewer partnership meetings scheduled in an academic year than the agreement asks for."""

    academic_year: int
    scheduled: int
    required: int

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)

    def explanation(self) -> str:
        if self.scheduled == 0:
            scheduled = f"No partnership meetings are scheduled for {self.year_label}."
        else:
            count = f"{self.scheduled} partnership meeting{'' if self.scheduled == 1 else 's'}"
            scheduled = f"Only {count} {'is' if self.scheduled == 1 else 'are'} scheduled for {self.year_label}."
        return f"{scheduled} The agreement asks for at least {self.required} a year."


def academic_year_bounds(academic_year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the academic year (1 September, UK time) and of the next one."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(academic_year, 9, 1, tzinfo=zone),
        datetime.datetime(academic_year + 1, 9, 1, tzinfo=zone),
    )


def partnership_meetings_of_year(partnership: Partnership, academic_year: int) -> QuerySet[Meeting]:
    """The academic year's partnership meetings that were not cancelled, in date order."""
    first, after = academic_year_bounds(academic_year)
    return Meeting.objects.filter(
        partnership=partnership,
        kind=Meeting.Kind.PARTNERSHIP,
        status=Meeting.Status.SCHEDULED,
        starts__gte=first,
        starts__lt=after,
    ).order_by("starts", "pk")


def meetings_shortfall(partnership: Partnership, academic_year: int) -> MeetingsShortfall | None:
    """The year's scheduled (not cancelled) partnership meetings against the agreement's minimum a
    year; None when there are enough or the agreement sets no minimum. One count query."""
    constitution = constitution_of(partnership)
    if not constitution.is_set("min_meetings_per_year"):
        return None
    scheduled = partnership_meetings_of_year(partnership, academic_year).count()
    if scheduled >= constitution.min_meetings_per_year:
        return None
    return MeetingsShortfall(academic_year, scheduled, constitution.min_meetings_per_year)


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    in_month: bool
    meetings: list[Meeting]


def month_calendar(year: int, month: int) -> list[list[CalendarDay]]:
    """The weeks (Monday first) of one month, each day with its meetings (cancelled ones too) in the
    active scope, in time order. One query, whatever the number of meetings."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(weeks[0][0], datetime.time(), tzinfo=zone)
    after = datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in (
        Meeting.objects.filter(starts__gte=first, starts__lt=after)
        .select_related("venue_school", "group")
        .order_by("starts", "pk")
    ):
        by_day.setdefault(timezone.localtime(meeting.starts).date(), []).append(meeting)
    return [[CalendarDay(day, day.month == month, by_day.get(day, [])) for day in week] for week in weeks]


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same kind (and group) before this one, that was not cancelled."""
    return (
        Meeting.objects.filter(
            kind=meeting.kind, group_id=meeting.group_id, starts__lt=meeting.starts, status=Meeting.Status.SCHEDULED
        )
        .select_related("partnership", "venue_school", "chair", "note_taker")
        .order_by("-starts", "-pk")
        .first()
    )


def open_actions_before(meeting: Meeting) -> QuerySet[ActionPoint]:
    """The open action points agreed at earlier meetings of the same kind (and group): the agenda
    pack's list for the meeting to review."""
    return actions_list().filter(
        status=ActionPoint.Status.OPEN,
        meeting__kind=meeting.kind,
        meeting__group_id=meeting.group_id,
        meeting__starts__lt=meeting.starts,
    )


# --- A school's term, for its governors' report (reports.selectors) ---------------------------------

# The meetings a governors' report counts a school's attendance at: the partnership's and its groups'.
ATTENDANCE_KINDS = frozenset({Meeting.Kind.PARTNERSHIP, *Meeting.GROUP_KINDS})
# Minutes whose decisions may be told to a school's governors: circulated to the members, or approved.
SHARED_MINUTES = frozenset({Minutes.Status.CIRCULATED, Minutes.Status.APPROVED})


def _local_day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    starts = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    ends = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return starts, ends


def school_attendance_between(
    partnership: Partnership, school: School, first: datetime.date, last: datetime.date
) -> list[Attendance]:
    """The school's recorded attendance at the partnership's and its groups' meetings held from `first`
    to `last` (inclusive), in date order, each with its meeting. One query."""
    starts, ends = _local_day_bounds(first, last)
    return list(
        Attendance.objects.filter(
            meeting__partnership=partnership,
            meeting__kind__in=ATTENDANCE_KINDS,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts__gte=starts,
            meeting__starts__lt=ends,
            school=school,
        )
        .select_related("meeting")
        .order_by("meeting__starts", "meeting__pk")
    )


def decisions_between(partnership: Partnership, first: datetime.date, last: datetime.date) -> list[Decision]:
    """The decisions minuted at meetings held from `first` to `last` whose minutes have gone to the
    members (circulated or approved), never a confidential item's, in date order. One query."""
    starts, ends = _local_day_bounds(first, last)
    return list(
        Decision.objects.filter(
            item__meeting__partnership=partnership,
            item__meeting__status=Meeting.Status.SCHEDULED,
            item__meeting__starts__gte=starts,
            item__meeting__starts__lt=ends,
            item__meeting__minutes__status__in=SHARED_MINUTES,
            item__confidential=False,
        )
        .select_related("item__meeting")
        .order_by("item__meeting__starts", "item__position", "recorded_at", "pk")
    )


# --- A partnership's year, for its annual report (reports.selectors.annual) ----------------------------


def partnership_meetings_between(partnership: Partnership, first: datetime.date, last: datetime.date) -> int:
    """How many partnership meetings (not cancelled) were held from `first` to `last`. One query."""
    starts, ends = _local_day_bounds(first, last)
    return Meeting.objects.filter(
        partnership=partnership,
        kind=Meeting.Kind.PARTNERSHIP,
        status=Meeting.Status.SCHEDULED,
        starts__gte=starts,
        starts__lt=ends,
    ).count()


def attendance_counts_between(
    partnership: Partnership, first: datetime.date, last: datetime.date
) -> dict[int, dict[str, int]]:
    """For each school, how often each attendance status (Attendance.Status) was recorded for it at the
    partnership meetings (not cancelled) held from `first` to `last`: {school id: {status: count}}.
    One query, whatever the number of schools and meetings."""
    starts, ends = _local_day_bounds(first, last)
    rows = (
        Attendance.objects.filter(
            meeting__partnership=partnership,
            meeting__kind=Meeting.Kind.PARTNERSHIP,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts__gte=starts,
            meeting__starts__lt=ends,
        )
        .order_by()
        .values_list("school_id", "status")
        .annotate(count=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {}
    for school_id, status, count in rows:
        counts.setdefault(school_id, {})[status] = count
    return counts


# --- The year's attendance, school by school (the dashboard's heat map) --------------------------------


@dataclass(frozen=True)
class SchoolYearAttendance:
    """One school's recorded attendance at each of the year's partnership meetings (None: no record)."""

    school_id: int
    name: str
    urn: int
    statuses: list[str | None]

    def count(self, status: str) -> int:
        return self.statuses.count(status)

    @property
    def missed(self) -> int:
        """Meetings the school was not represented at (apologies or absent)."""
        return sum(1 for status in self.statuses if status is not None and status not in Attendance.REPRESENTED)


@dataclass(frozen=True)
class YearMeeting:
    """A meeting of the year, as the heat map needs it: a column's date and a link to its attendance."""

    pk: int
    title: str
    starts: datetime.datetime


@dataclass(frozen=True)
class AttendanceYear:
    """The academic year's partnership meetings (not cancelled, in date order) and every school's recorded
    attendance at them, a row per school with a record, by name; `totals` counts the records by status."""

    academic_year: int
    meetings: list[YearMeeting]
    rows: list[SchoolYearAttendance]
    totals: dict[str, int]

    @property
    def recorded(self) -> int:
        return sum(self.totals.values())

    def missing_any(self) -> list[SchoolYearAttendance]:
        """The schools not represented at one meeting or more, the most absences without apologies first,
        then the most meetings missed, then by name."""
        missed = [row for row in self.rows if row.missed]
        return sorted(missed, key=lambda row: (-row.count(Attendance.Status.ABSENT), -row.missed, row.name))


def attendance_of_year(partnership: Partnership, academic_year: int) -> AttendanceYear:
    """Every school's recorded attendance at the academic year's partnership meetings. One query, whatever
    the number of schools and meetings: the meetings joined to their attendance records and schools (a
    meeting with none comes once, with nothing recorded)."""
    records = partnership_meetings_of_year(partnership, academic_year).values_list(
        "pk",
        "title",
        "starts",
        "attendance__school_id",
        "attendance__school__name",
        "attendance__school__urn",
        "attendance__status",
    )
    meetings: dict[int, YearMeeting] = {}
    found: list[tuple[int, int, str, int, str]] = []
    for pk, title, starts, school_id, name, urn, status in records:
        meetings.setdefault(pk, YearMeeting(pk, title, starts))
        if school_id is not None:
            found.append((pk, school_id, name, urn, status))
    column = {pk: index for index, pk in enumerate(meetings)}
    schools: dict[int, tuple[str, int, list[str | None]]] = {}
    totals: dict[str, int] = {}
    for meeting_id, school_id, name, urn, status in found:
        statuses = schools.setdefault(school_id, (name, urn, [None] * len(meetings)))[2]
        statuses[column[meeting_id]] = status
        totals[status] = totals.get(status, 0) + 1
    rows = [
        SchoolYearAttendance(school_id, name, urn, statuses)
        for school_id, (name, urn, statuses) in sorted(schools.items(), key=lambda item: (item[1][0], item[0]))
    ]
    return AttendanceYear(academic_year, list(meetings.values()), rows, totals)


# --- What waits for the chair (the chair's dashboard) --------------------------------------------------


@dataclass(frozen=True)
class ChairsBusiness:
    """What waits for a meeting's chair: agendas of their meetings to come still to agree, minutes circulated
    and waiting to be approved as a true record at the first of them, and the decisions their agendas ask for."""

    agendas_to_agree: list[Meeting]
    minutes_to_approve: list[Minutes]
    decisions_ahead: list[AgendaItem]

    def __bool__(self) -> bool:
        return bool(self.agendas_to_agree or self.minutes_to_approve or self.decisions_ahead)


def chairs_business(user, now: datetime.datetime) -> ChairsBusiness:
    """What waits for `user` as the chair of meetings to come, in the active scope. Two queries: the agenda
    items of the meetings they chair (a meeting whose agenda is still a draft is theirs to agree; an item
    needing a decision is one they will put to the meeting), then the minutes the first of those meetings
    may approve (`minutes_awaiting_approval`)."""
    items = list(
        AgendaItem.objects.filter(meeting__chair=user, meeting__status=Meeting.Status.SCHEDULED, meeting__ends__gte=now)
        .select_related("meeting")
        .order_by("meeting__starts", "meeting__pk", "position")
    )
    if not items:
        return ChairsBusiness([], [], [])
    meetings = list({item.meeting_id: item.meeting for item in items}.values())
    agendas = [meeting for meeting in meetings if meeting.agenda_status == Meeting.AgendaStatus.DRAFT]
    minutes = list(minutes_awaiting_approval(meetings[0]))
    return ChairsBusiness(agendas, minutes, [item for item in items if item.decision_needed])
