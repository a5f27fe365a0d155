"""Demo meetings for each seed partnership; registered with load_demo by MeetingsConfig.ready().

A year of meetings from the partnership's own term dates, scheduled through the services as the
coordinator would have scheduled them at the time (so past meetings were called with notice):
Exeter Beacon meets every half term with its strategy group the week before (its agreement); the others
meet termly, Heart of Manchester adds its networks, its annual heads-and-chairs meeting and a joint
training day. One meeting has moved (its calendar entries updated) and one is cancelled. The notices
are recorded as delivered: the demo sends no mail. Loading twice changes nothing.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from core.models import OutboxMessage
from meetings.models import Meeting
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
    # The demo sends no mail: its notices are recorded as delivered when they were written.
    about = [f"meeting:{m.pk}" for m in made]
    OutboxMessage.objects.filter(about__in=about, state=OutboxMessage.State.QUEUED).update(
        state=OutboxMessage.State.SENT, attempts=1, sent_at=F("created_at")
    )
