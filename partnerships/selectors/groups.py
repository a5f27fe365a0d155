"""Reads for the groups pages: groups, their members and each group's current chair, in constant queries.

A group's chair follows its chairing rule, so it is computed when the page is read rather than stored:
when the partnership's chair changes, the Deputy and Assistant Heads network's chair changes with them
("for the same period as their headteacher"); when the host school changes, so does the host's chair.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django_scopes import get_scope

from core.dates import has_ended
from core.exports import Column, Kind, Table
from partnerships.models import Group, GroupMember, Membership
from partnerships.selectors.governance import chair_school
from schools.models import Person, School


@dataclass(frozen=True)
class CurrentChair:
    """Who chairs a group today, how the rule found them, or why nobody could be found."""

    person: Person | None
    how: str
    problem: str = ""


def _chairs_school(on: datetime.date | None = None) -> School | None:
    """The school led by the partnership's chair: one rule for the whole project, kept with the offices."""
    partnership = get_scope().get("partnership")
    return chair_school(partnership, on) if partnership is not None else None


def chairs_school(on: datetime.date | None = None) -> School | None:
    return _chairs_school(on)


def attach_current_chairs(groups: list[Group], on: datetime.date | None = None) -> list[Group]:
    """Set `current_chair` (a CurrentChair) on each group, with at most three queries for any number."""
    rules = {group.chairing for group in groups}
    deputy: Person | None = None
    school: School | None = None
    if Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL in rules:
        school = _chairs_school(on)
        if school is not None:
            deputy = (
                Person.objects.filter(school=school, position=Person.Position.DEPUTY_HEAD)
                .select_related("school")
                .order_by("full_name", "pk")
                .first()
            )
    host_reps: dict[int, Person] = {}
    hosted = [g.pk for g in groups if g.chairing == Group.Chairing.HOST_SCHOOL and g.host_school_id]
    if hosted:
        for member in (
            GroupMember.objects.filter(group_id__in=hosted, person__school_id=F("group__host_school_id"))
            .select_related("person", "person__school")
            .order_by("person__full_name", "pk")
        ):
            host_reps.setdefault(member.group_id, member.person)
    for group in groups:
        group.current_chair = _chair_for(group, school=school, deputy=deputy, host_reps=host_reps)
    return groups


def _chair_for(group: Group, *, school, deputy, host_reps) -> CurrentChair:
    if group.chairing == Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL:
        if school is None:
            return CurrentChair(None, "The deputy headteacher of the chair's school", "No partnership chair recorded")
        how = f"Deputy headteacher of {school.name}, the partnership chair's school, for the chair's period"
        if deputy is None:
            return CurrentChair(None, how, f"No deputy recorded for {school.name}")
        return CurrentChair(deputy, how)
    if group.chairing == Group.Chairing.HOST_SCHOOL:
        if group.host_school_id is None:
            return CurrentChair(
                None, "The representative of the host school", "No host school set for the next meeting"
            )
        how = f"Representative of {group.host_school.name}, the host school"
        person = host_reps.get(group.pk)
        if person is None:
            return CurrentChair(None, how, f"No member of the group from {group.host_school.name}, the host school")
        return CurrentChair(person, how)
    if group.chair_id is None:
        return CurrentChair(None, "A named person", "No chair named")
    return CurrentChair(group.chair, "Named by the partnership")


def groups_with_counts():
    return Group.objects.select_related("chair", "chair__school", "host_school").annotate(member_count=Count("members"))


def groups_overview(on: datetime.date | None = None) -> dict[str, list[Group]]:
    """Standing groups and networks, current task groups and ended task groups, each with its chair."""
    on = on or timezone.localdate()
    groups = attach_current_chairs(list(groups_with_counts().order_by("name", "pk")), on)
    for group in groups:
        group.has_ended = has_ended(group.ends, on)
    return {
        "standing": [g for g in groups if g.kind == Group.Kind.STANDING],
        "task_current": [g for g in groups if g.kind == Group.Kind.TASK and not g.has_ended],
        "task_ended": [g for g in groups if g.kind == Group.Kind.TASK and g.has_ended],
    }


def groups_table(overview: dict[str, list[Group]]) -> Table:
    """The groups page as a download: standing groups, task groups at work, then ended task groups
    (`groups_overview`), each with its chair as the page names them."""

    def chair(group: Group) -> tuple[str | None, str]:
        found = group.current_chair
        return (found.person.full_name, found.how) if found.person else (None, f"No chair: {found.problem}")

    return Table(
        title="Groups and networks",
        columns=[
            Column("Group"),
            Column("Kind"),
            Column("Status"),
            Column("Chair"),
            Column("How the chair is found"),
            Column("Members", Kind.INTEGER),
            Column("From", Kind.DATE),
            Column("To", Kind.DATE),
            Column("Reports to"),
        ],
        rows=[
            (
                group.name,
                group.get_kind_display(),
                "Ended" if group.has_ended else "Current",
                *chair(group),
                group.member_count,
                group.starts,
                group.ends,
                group.reports_to,
            )
            for part in ("standing", "task_current", "task_ended")
            for group in overview[part]
        ],
    )


def group_detail(group: Group, on: datetime.date | None = None) -> dict:
    """One group with its members (each marked if their school is no longer a current member)."""
    on = on or timezone.localdate()
    attach_current_chairs([group], on)
    group.has_ended = has_ended(group.ends, on)
    current = set(Membership.objects.current(on).values_list("school_id", flat=True))
    members = list(
        GroupMember.objects.filter(group=group)
        .select_related("person", "person__school")
        .order_by("person__school__name", "person__full_name", "pk")
    )
    for member in members:
        member.school_is_member = member.person.school_id in current
    return {"group": group, "members": members}


def group_members_table(detail: dict) -> Table:
    """A group's members as a download, as the group's page lists them (`group_detail`)."""
    group = detail["group"]
    chair = group.current_chair.person
    return Table(
        title=f"Members of {group.name}",
        columns=[Column("Name"), Column("Position"), Column("School"), Column("Member school"), Column("Chair")],
        rows=[
            (
                member.person.full_name,
                member.person.get_position_display(),
                member.person.school.name,
                "Yes" if member.school_is_member else "No longer",
                "Chair" if chair is not None and member.person_id == chair.pk else None,
            )
            for member in detail["members"]
        ],
    )


def people_of_current_members(on: datetime.date | None = None):
    """People of the schools that are members today, for choosing group members, chairs and leads."""
    current = Membership.objects.current(on).values("school_id")
    return (
        Person.objects.filter(school_id__in=current)
        .select_related("school")
        .order_by("school__name", "full_name", "pk")
    )


def current_member_schools(on: datetime.date | None = None):
    current = Membership.objects.current(on).values("school_id")
    return School.objects.filter(pk__in=current).order_by("name")


def groups_for_person_ids(person_ids) -> dict[int, list[Group]]:
    """The groups each person belongs to (for school pages and the governance page)."""
    result: dict[int, list[Group]] = {}
    for member in GroupMember.objects.filter(person_id__in=person_ids).select_related("group").order_by("group__name"):
        result.setdefault(member.person_id, []).append(member.group)
    return result


def groups_for_school(school: School):
    """The groups with at least one member from a school, with that school's member count."""
    return (
        Group.objects.annotate(school_members=Count("members", filter=Q(members__person__school=school)))
        .filter(school_members__gt=0)
        .order_by("name")
    )


__all__ = [
    "CurrentChair",
    "attach_current_chairs",
    "chairs_school",
    "current_member_schools",
    "group_detail",
    "groups_for_person_ids",
    "groups_for_school",
    "groups_overview",
    "groups_with_counts",
    "people_of_current_members",
]
