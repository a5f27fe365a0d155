"""Standing groups, networks and task groups: their rules, their members. Validated, atomic, audited.

The agreements' rules: standing groups and networks are permanent; task groups work "for an agreed period
identified by the strategic group", so they need an end date after their start; every group reports to
the strategic group; members are people of the member schools.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from partnerships.models import Group, GroupMember, Membership, Partnership
from schools.models import Person, School

DEFAULT_REPORTS_TO = "The strategic group"


def _is_current_member(partnership: Partnership, school: School, on: datetime.date | None = None) -> bool:
    return Membership.objects.filter(partnership=partnership, school=school).current(on).exists()


def group_validate(
    *,
    partnership: Partnership,
    name: str,
    kind: str,
    chairing: str,
    chair: Person | None,
    host_school: School | None,
    starts: datetime.date,
    ends: datetime.date | None,
    reports_to: str,
    group: Group | None = None,
) -> None:
    """The rules a group must meet. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the group's name"
    else:
        same_name = Group.objects.filter(partnership=partnership, name__iexact=name.strip())
        if group is not None:
            same_name = same_name.exclude(pk=group.pk)
        if same_name.exists():
            errors["name"] = f"There is already a group called {name.strip()}"
    if kind not in Group.Kind.values:
        errors["kind"] = "Choose whether this is a standing group or a task group"
    if chairing not in Group.Chairing.values:
        errors["chairing"] = "Choose how the group's chair is decided"
    if chairing == Group.Chairing.NAMED and chair is None:
        errors["chair"] = "Choose the person who chairs the group"
    if chair is not None and chairing == Group.Chairing.NAMED:
        if chair.partnership_id != partnership.pk or not _is_current_member(partnership, chair.school):
            errors["chair"] = f"{chair.full_name} is not at a current member school"
    if host_school is not None and not _is_current_member(partnership, host_school):
        errors["host_school"] = f"{host_school.name} is not a current member of the partnership"
    if kind == Group.Kind.TASK and ends is None:
        errors["ends"] = "A task group works for an agreed period: enter the date it ends"
    elif ends is not None and starts is not None and ends < starts:
        errors["ends"] = f"The group cannot end before it starts on {date_label(starts)}"
    if not reports_to.strip():
        errors["reports_to"] = "Enter who the group reports to, for example the strategic group"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_create(
    *,
    actor: User,
    partnership: Partnership,
    name: str,
    kind: str,
    remit: str = "",
    chairing: str = Group.Chairing.NAMED,
    chair: Person | None = None,
    host_school: School | None = None,
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
    reports_to: str = DEFAULT_REPORTS_TO,
) -> Group:
    starts = starts or timezone.localdate()
    group_validate(
        partnership=partnership,
        name=name,
        kind=kind,
        chairing=chairing,
        chair=chair,
        host_school=host_school,
        starts=starts,
        ends=ends,
        reports_to=reports_to,
    )
    group = Group.objects.create(
        partnership=partnership,
        name=name.strip(),
        kind=kind,
        remit=remit.strip(),
        chairing=chairing,
        chair=chair if chairing == Group.Chairing.NAMED else None,
        host_school=host_school,
        starts=starts,
        ends=ends,
        reports_to=reports_to.strip(),
    )
    audit_record(
        subject=group,
        actor=actor,
        partnership=partnership,
        action=AuditAction.GROUP_CREATED,
        summary=f"{group.get_kind_display()} {group.name} set up from {date_label(starts)}",
        data={"group": group.pk, "kind": kind, "chairing": chairing},
    )
    return group


@transaction.atomic
def group_update(
    *,
    actor: User,
    group: Group,
    name: str,
    kind: str,
    remit: str,
    chairing: str,
    chair: Person | None,
    host_school: School | None,
    starts: datetime.date,
    ends: datetime.date | None,
    reports_to: str,
) -> Group:
    group = Group.objects.select_for_update().get(pk=group.pk)
    group_validate(
        partnership=group.partnership,
        name=name,
        kind=kind,
        chairing=chairing,
        chair=chair,
        host_school=host_school,
        starts=starts,
        ends=ends,
        reports_to=reports_to,
        group=group,
    )
    group.name = name.strip()
    group.kind = kind
    group.remit = remit.strip()
    group.chairing = chairing
    group.chair = chair if chairing == Group.Chairing.NAMED else None
    group.host_school = host_school
    group.starts = starts
    group.ends = ends
    group.reports_to = reports_to.strip()
    group.save()
    audit_record(
        subject=group,
        actor=actor,
        partnership=group.partnership,
        action=AuditAction.GROUP_CHANGED,
        summary=f"{group.name} changed",
        data={"group": group.pk, "kind": kind, "chairing": chairing},
    )
    return group


@transaction.atomic
def group_set_host(*, actor: User, group: Group, host_school: School | None) -> Group:
    """Record where the group's next meeting is held (the host's representative chairs it)."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    if host_school is not None and not _is_current_member(group.partnership, host_school):
        raise ValidationError({"host_school": f"{host_school.name} is not a current member of the partnership"})
    group.host_school = host_school
    group.save(update_fields=["host_school"])
    where = host_school.name if host_school else "no school"
    audit_record(
        subject=group,
        actor=actor,
        partnership=group.partnership,
        action=AuditAction.GROUP_HOST_SET,
        summary=f"{group.name}'s next meeting is hosted by {where}",
        data={"group": group.pk, "host_school": getattr(host_school, "pk", None)},
    )
    return group


@transaction.atomic
def group_member_add(*, actor: User, group: Group, person: Person) -> GroupMember:
    """Add a person of a current member school to a group (each person once)."""
    if person.partnership_id != group.partnership_id:
        raise ValidationError({"person": "Choose a person of one of the partnership's schools"})
    if not _is_current_member(group.partnership, person.school):
        raise ValidationError(
            {"person": f"{person.full_name} is at {person.school.name}, which is not a current member school"}
        )
    if GroupMember.objects.filter(group=group, person=person).exists():
        raise ValidationError({"person": f"{person.full_name} is already a member of {group.name}"})
    member = GroupMember.objects.create(group=group, person=person)
    audit_record(
        subject=group,
        actor=actor,
        partnership=group.partnership,
        action=AuditAction.GROUP_MEMBER_ADDED,
        summary=f"{person.full_name} ({person.school.name}) joined {group.name}",
        data={"group": group.pk, "person": person.pk},
    )
    return member


@transaction.atomic
def group_member_remove(*, actor: User, member: GroupMember) -> None:
    group, person = member.group, member.person
    deleted, _ = GroupMember.objects.filter(pk=member.pk).delete()
    if not deleted:
        raise ValidationError(f"{person.full_name} is no longer a member of {group.name}")
    audit_record(
        subject=group,
        actor=actor,
        partnership=group.partnership,
        action=AuditAction.GROUP_MEMBER_REMOVED,
        summary=f"{person.full_name} left {group.name}",
        data={"group": group.pk, "person": person.pk},
    )
