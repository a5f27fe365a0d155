"""Demo meetings for each seed partnership; registered with load_demo by MeetingsConfig.ready().

A year of meetings from the partnership's own term dates, scheduled through the services as the
coordinator would have scheduled them at the time (so past meetings were called with notice):
Exeter Beacon meets every half term with its strategy group the week before (its agreement); the others
meet termly, Heart of Manchester adds its networks, its annual heads-and-chairs meeting and a joint
training day. One meeting has moved (its calendar entries updated) and one is cancelled. The notices
are recorded as delivered: the demo sends no mail. Loading twice changes nothing.

Partnership and strategy meetings have agendas: past ones were agreed and published with their papers
(small generated PDFs, one item confidential); the next one is drafted, agreed and published through
the services, telling everyone; the one after has a draft agenda awaiting the chair, with a deadline.
Past meetings have attendance, notes, decisions and actions (open, done and overdue), and minutes in
each state: the earliest approved at the next meeting of its kind, then circulated, then draft. In
Exeter one school missed both of the year's partnership meetings so far, and is flagged to the chair.
"""

import datetime
from functools import cache

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from core.files import PDF, private_storage, stored_name
from core.models import OutboxMessage
from meetings.models import ActionPoint, AgendaItem, Attendance, Invitee, Meeting, Minutes, Paper
from meetings.pack import pdf_from_html
from meetings.services.agenda import agenda_agree, agenda_item_add, agenda_publish, paper_upload, papers_deadline_set
from meetings.services.scheduling import meeting_cancel, meeting_change, meeting_schedule
from partnerships.calendar import academic_year_of
from partnerships.models import Group, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.terms import terms_of_year
from schools.models import School

K = Meeting.Kind


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


def _weekday(day: datetime.date, weekday: int = 1) -> datetime.date:
    """The first `weekday` (Tuesday by default) on or after `day`."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _half_terms(partnership) -> list[tuple[datetime.date, datetime.date]]:
    """This academic year's six half terms, as (first day, last day)."""
    halves = []
    for term in terms_of_year(partnership, academic_year_of(timezone.localdate())):
        halves.append((term.starts, term.half_term_starts - datetime.timedelta(days=1)))
        halves.append((term.half_term_ends + datetime.timedelta(days=1), term.ends))
    return halves


def _plan(partnership, spec) -> list[dict]:
    """The meetings of one partnership's year: kind, title, day, hours, group."""
    halves = _half_terms(partnership)
    plan = []
    if spec["slug"] == "exeter-beacon":
        for number, (first, _last) in enumerate(halves, start=1):
            meeting_day = _weekday(first + datetime.timedelta(days=21))
            plan.append(
                {
                    "kind": K.STRATEGY,
                    "title": f"Strategy group, half term {number}",
                    "day": meeting_day - datetime.timedelta(days=7),
                    "hours": (15, 16),
                }
            )
            plan.append(
                {
                    "kind": K.PARTNERSHIP,
                    "title": f"Partnership meeting, half term {number}",
                    "day": meeting_day,
                    "hours": (16, 17, 30),
                }
            )
        plan.append(
            {
                "kind": K.ANNUAL_PLANNING,
                "title": "Annual planning meeting",
                "day": _weekday(halves[5][1] - datetime.timedelta(days=14), 3),
                "hours": (13, 16),
            }
        )
        return plan
    for number, (first, _last) in enumerate(halves[::2], start=1):
        plan.append(
            {
                "kind": K.PARTNERSHIP,
                "title": f"Strategic group, term {number}",
                "day": _weekday(first + datetime.timedelta(days=28)),
                "hours": (16, 17, 30),
            }
        )
    if spec["slug"] == "heart-of-manchester":
        for group in Group.objects.filter(partnership=partnership, kind=Group.Kind.STANDING).order_by("name"):
            for number, (first, _last) in enumerate(halves[::2], start=1):
                plan.append(
                    {
                        "kind": K.GROUP,
                        "title": f"{group.name}, term {number}",
                        "day": _weekday(first + datetime.timedelta(days=35), 3),
                        "hours": (13, 15),
                        "group": group,
                    }
                )
        plan.append(
            {
                "kind": K.HEADS_AND_CHAIRS,
                "title": "Annual meeting of headteachers and chairs of governors",
                "day": _weekday(halves[4][0] + datetime.timedelta(days=14), 2),
                "hours": (18, 20),
            }
        )
        plan.append(
            {
                "kind": K.TRAINING_DAY,
                "title": "Joint training day",
                "day": _weekday(halves[2][0], 0),
                "hours": (9, 15, 30),
            }
        )
    return plan


def load(partnership, spec: dict, admin) -> None:
    coordinator = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR).active().order_by("pk").first()
    )
    if coordinator is None or Meeting.objects.filter(partnership=partnership).exists():
        return
    organiser = coordinator.user
    made = []
    for index, item in enumerate(_plan(partnership, spec)):
        hours = item["hours"]
        starts = _at(item["day"], hours[0])
        ends = _at(item["day"], hours[1], hours[2] if len(hours) > 2 else 0)
        # Hosted in turn by the schools that are members on the day.
        schools = list(
            School.objects.filter(pk__in=partnership.memberships.current(item["day"]).values("school_id")).order_by(
                "name"
            )
        )
        # Called a month ahead, as a coordinator would: so past meetings are scheduled "then", with notice.
        made.append(
            meeting_schedule(
                actor=organiser,
                partnership=partnership,
                kind=item["kind"],
                title=item["title"],
                starts=starts,
                ends=ends,
                group=item.get("group"),
                venue_school=schools[index % len(schools)],
                online_link="https://meet.example.org/" + spec["slug"] if item["kind"] == K.STRATEGY else "",
                now=starts - datetime.timedelta(days=30),
            )
        )
    upcoming = [m for m in made if m.starts > timezone.now()]
    if len(upcoming) >= 2:
        moved = upcoming[0]
        later = moved.starts + datetime.timedelta(days=1)
        meeting_change(
            actor=organiser,
            meeting=moved,
            title=moved.title,
            starts=later,
            ends=moved.ends + datetime.timedelta(days=1),
            venue_school=moved.venue_school,
            online_link=moved.online_link,
            now=moved.starts - datetime.timedelta(days=20),
        )
        meeting_cancel(
            actor=organiser,
            meeting=upcoming[-1],
            reason="The date clashes with the local authority's headteachers' briefing; a new date will follow",
        )
    _agendas(partnership, organiser, made)
    _minutes(partnership, organiser, made)
    # The demo sends no mail: its notices are recorded as delivered when they were written.
    about = [f"meeting:{m.pk}" for m in made]
    OutboxMessage.objects.filter(about__in=about, state=OutboxMessage.State.QUEUED).update(
        state=OutboxMessage.State.SENT, attempts=1, sent_at=F("created_at")
    )


# A partnership meeting's usual business: (title, minutes, decision needed, confidential, paper's title).
_ITEMS = [
    ("Welcome, apologies and declarations of interest", 5, False, False, None),
    ("Minutes of the last meeting and matters arising", 10, True, False, None),
    ("Budget monitoring and contributions", 20, True, False, "Budget monitoring report"),
    ("Development areas: progress this half term", 25, False, False, "Development areas update"),
    ("Headteacher recruitment and staffing", 15, False, True, "Staffing update (confidential)"),
    ("Any other business", 5, False, False, None),
]


@cache
def _demo_pdf(title: str, partnership_name: str) -> bytes:
    """A small, real, two-page paper: rendered once per title and reused, so the demo stays quick."""
    paragraphs = "".join(
        f"<p>{partnership_name}: {title.lower()}, section {n}. The figures and actions are discussed at the meeting;"
        " pupil-level data is shared only live.</p>"
        for n in range(1, 9)
    )
    html = (
        f'<html lang="en-GB"><head><title>{title}</title><style>@page {{ size: A4; margin: 25mm }}'
        f" body {{ font-family: 'Liberation Sans', sans-serif }} p {{ margin-bottom: 18mm }}</style></head>"
        f"<body><h1>{title}</h1>{paragraphs}</body></html>"
    )
    return pdf_from_html(html)


def _presenter(partnership, coordinator):
    head = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.HEADTEACHER)
        .active()
        .order_by("school__name")
        .select_related("user")
        .first()
    )
    return head.user if head else coordinator


def _chair(partnership, coordinator):
    chair = RoleAssignment.objects.filter(partnership=partnership, role=Role.CHAIR).active().select_related("user")
    return chair.first().user if chair.exists() else coordinator


def _agendas(partnership, coordinator, made) -> None:
    chair = _chair(partnership, coordinator)
    presenter = _presenter(partnership, coordinator)
    business = list(
        Meeting.objects.filter(
            pk__in=[m.pk for m in made], kind__in=(K.PARTNERSHIP, K.STRATEGY), status=Meeting.Status.SCHEDULED
        )
    )
    now = timezone.now()
    past = [m for m in business if m.ends <= now]
    upcoming = [m for m in business if m.starts > now]
    Meeting.objects.filter(pk__in=[m.pk for m in business]).update(chair=chair)
    for meeting in past:
        # History: what was agreed and published then, written as it stands now.
        Meeting.objects.filter(pk=meeting.pk).update(
            agenda_status=Meeting.AgendaStatus.PUBLISHED,
            agenda_agreed_by=chair,
            agenda_agreed_at=meeting.starts - datetime.timedelta(days=10),
            papers_published_at=meeting.starts - datetime.timedelta(days=7),
            papers_version=1,
        )
        for position, (title, minutes, decision, confidential, paper) in enumerate(_ITEMS, start=1):
            item = AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=title,
                minutes=minutes,
                decision_needed=decision,
                confidential=confidential,
                presenter=presenter if paper else None,
            )
            if paper:
                content = _demo_pdf(paper, partnership.name)
                Paper.objects.create(
                    item=item,
                    file=private_storage.save(stored_name(f"papers/{meeting.pk}", PDF), ContentFile(content)),
                    name=f"{paper}.pdf",
                    content_type=PDF,
                    size=len(content),
                    pages=2,
                    no_pupil_data=True,
                    uploaded_by=presenter,
                    uploaded_at=meeting.starts - datetime.timedelta(days=8),
                )
    for index, meeting in enumerate(upcoming[:2]):
        for title, minutes, decision, confidential, paper in _ITEMS:
            item = agenda_item_add(
                actor=coordinator,
                meeting=meeting,
                title=title,
                minutes=minutes,
                decision_needed=decision,
                confidential=confidential,
                presenter=presenter if paper else None,
            )
            if paper and index == 0:
                upload = ContentFile(_demo_pdf(paper, partnership.name), name=f"{paper}.pdf")
                paper_upload(actor=presenter, item=item, upload=upload, no_pupil_data=True)
        if index == 0:
            agenda_agree(actor=chair, meeting=meeting)
            agenda_publish(actor=coordinator, meeting=meeting)
        else:
            deadline = timezone.localtime(meeting.starts).date() - datetime.timedelta(days=7)
            if deadline >= timezone.localdate():
                papers_deadline_set(actor=coordinator, meeting=meeting, deadline=deadline)


# What a note-taker writes under the usual items, and what is decided and to be done.
_NOTES = {
    "Welcome, apologies and declarations of interest": "The chair welcomed everyone. No interests were declared.",
    "Minutes of the last meeting and matters arising": "Agreed. Matters arising are on the actions list.",
    "Budget monitoring and contributions": "Spending is in line with the plan. Two contributions are still due.",
    "Development areas: progress this half term": "Moderation and the reading network reported good progress.",
    "Headteacher recruitment and staffing": "One headship is vacant from Easter; the governors are advertising.",
    "Any other business": "None.",
}


def _minutes(partnership, coordinator, made) -> None:
    """History: what happened at the past partnership and strategy meetings, written as it stands."""
    now = timezone.now()
    held = list(
        Meeting.objects.filter(
            pk__in=[m.pk for m in made],
            kind__in=(K.PARTNERSHIP, K.STRATEGY),
            status=Meeting.Status.SCHEDULED,
            ends__lte=now,
        ).order_by("starts")
    )
    if not held:
        return
    Meeting.objects.filter(pk__in=[m.pk for m in held]).update(note_taker=coordinator)
    presenter = _presenter(partnership, coordinator)
    members = list(School.objects.filter(pk__in=partnership.memberships.current().values("school_id")).order_by("name"))
    # Exeter's agreement (5.1): the chair follows up continued non-representation. One school misses
    # every partnership meeting so far, without apologies.
    absent = members[-1] if partnership.slug == "exeter-beacon" and members else None
    for meeting in held:
        for index, school in enumerate(members):
            if school == absent and meeting.kind == K.PARTNERSHIP:
                status = Attendance.Status.ABSENT
            else:
                status = Attendance.Status.APOLOGIES if index % 5 == 3 else Attendance.Status.PRESENT
            Attendance.objects.create(
                meeting=meeting, school=school, status=status, recorded_by=coordinator, recorded_at=meeting.ends
            )
        for item in meeting.items.all():
            AgendaItem.objects.filter(pk=item.pk).update(notes=_NOTES.get(item.title, ""))
            if item.decision_needed:
                item.decisions.create(
                    text=f"Agreed: {item.title.lower()}.",
                    votes_for=len(members) - 1 if "Budget" in item.title else None,
                    votes_against=0 if "Budget" in item.title else None,
                    abstentions=1 if "Budget" in item.title else None,
                    recorded_by=coordinator,
                    recorded_at=meeting.ends,
                )
        day = timezone.localtime(meeting.starts).date()
        for n, (text, weeks, done) in enumerate(
            (
                ("Send the budget report to each governing body", 2, True),
                ("Collect the outstanding contributions", 4, False),
                ("Share the moderation schedule with every school", 10, False),
            )
        ):
            due = day + datetime.timedelta(weeks=weeks)
            ActionPoint.objects.create(
                meeting=meeting,
                item=meeting.items.filter(position=3 + n % 2).first(),
                description=text,
                owner=presenter if n != 1 else coordinator,
                due=due,
                status=ActionPoint.Status.DONE if done else ActionPoint.Status.OPEN,
                done_note="Sent by email to each clerk" if done else "",
                done_at=_at(due, 12) if done else None,
                done_by=presenter if done else None,
                created_by=coordinator,
                created_at=meeting.ends,
            )
    # Answers as they were given: apologies from the schools that sent them, everyone else coming.
    for meeting in held:
        sent_apologies = set(
            meeting.attendance.filter(status=Attendance.Status.APOLOGIES).values_list("school_id", flat=True)
        )
        invited = meeting.invitees.filter(removed_at__isnull=True)
        invited.filter(school_id__in=sent_apologies).update(
            answer=Invitee.Answer.APOLOGIES,
            apologies_reason="An Ofsted inspection at school that day",
            answered_at=meeting.starts - datetime.timedelta(days=5),
        )
        invited.exclude(school_id__in=sent_apologies).update(
            answer=Invitee.Answer.ATTENDING, answered_at=meeting.starts - datetime.timedelta(days=6)
        )
    # The next meeting: about half have answered so far.
    upcoming = Meeting.objects.filter(pk__in=[m.pk for m in made], starts__gt=now, status=Meeting.Status.SCHEDULED)
    next_meeting = upcoming.order_by("starts").first()
    if next_meeting is not None:
        for index, invitee in enumerate(next_meeting.invitees.filter(removed_at__isnull=True, user__isnull=False)):
            if index % 2 == 0 and invitee.user_id != coordinator.pk:
                Invitee.objects.filter(pk=invitee.pk).update(answer=Invitee.Answer.ATTENDING, answered_at=now)
    # Minutes in each state: per kind, the earliest approved at the next, then circulated, then draft.
    for kind in (K.PARTNERSHIP, K.STRATEGY):
        series = [m for m in held if m.kind == kind]
        for index, meeting in enumerate(series):
            later = series[index + 1] if index + 1 < len(series) else None
            # The latest: the strategy group's are out for reading; the partnership's still in draft.
            latest = Minutes.Status.DRAFT if kind == K.PARTNERSHIP else Minutes.Status.CIRCULATED
            status = Minutes.Status.APPROVED if later else latest
            circulated = meeting.ends + datetime.timedelta(days=3)
            Minutes.objects.create(
                meeting=meeting,
                status=status,
                circulated_at=circulated if status != Minutes.Status.DRAFT else None,
                circulated_by=coordinator if status != Minutes.Status.DRAFT else None,
                approved_at=later.ends if later else None,
                approved_by=later.chair if later else None,
                approved_at_meeting=later,
            )
