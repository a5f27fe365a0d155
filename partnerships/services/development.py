"""Development areas, their plans and each school's participation. Validated, atomic, audited.

The agreement's rules: each area "is championed by a named Development Coordinator (HT)", so the
coordinator is a headteacher of a member school; "for each agreed Development Area selected, schools will
identify a lead individual", so a school's lead is one of its own people; only member schools take part,
each once per area.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.calendar import academic_year_label
from partnerships.models import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Membership,
    Partnership,
)
from partnerships.models.development import Status
from schools.models import Person, School

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _is_current_member(partnership: Partnership, school: School) -> bool:
    return Membership.objects.filter(partnership=partnership, school=school).current().exists()


def _check_coordinator(partnership: Partnership, coordinator: Person | None, errors: dict) -> None:
    if coordinator is None:
        return
    if coordinator.partnership_id != partnership.pk:
        errors["coordinator"] = "Choose a headteacher of one of the partnership's schools"
    elif coordinator.position != Person.Position.HEADTEACHER:
        errors["coordinator"] = (
            f"{coordinator.full_name} is {coordinator.get_position_display().lower()} at {coordinator.school.name}: "
            "a development coordinator must be a headteacher"
        )
    elif not _is_current_member(partnership, coordinator.school):
        errors["coordinator"] = (
            f"{coordinator.full_name} is headteacher of {coordinator.school.name}, which is not a current member"
        )


def _check_person(partnership: Partnership, person: Person | None, key: str, errors: dict) -> None:
    if person is not None and (
        person.partnership_id != partnership.pk or not _is_current_member(partnership, person.school)
    ):
        errors[key] = f"{person.full_name} is not at a current member school"


def _check_status(status: str, errors: dict) -> None:
    if status not in Status.values:
        errors["status"] = "Choose a status from the list"


def _area_validate(
    *,
    partnership: Partnership,
    academic_year: int,
    name: str,
    coordinator: Person | None,
    status: str = Status.PLANNED,
    area: DevelopmentArea | None = None,
) -> None:
    errors: dict[str, str] = {}
    if not EARLIEST_YEAR <= academic_year <= LATEST_YEAR:
        errors["academic_year"] = f"Choose an academic year between {EARLIEST_YEAR} and {LATEST_YEAR}"
    if not name.strip():
        errors["name"] = "Enter the area's name"
    else:
        same = DevelopmentArea.objects.filter(
            partnership=partnership, academic_year=academic_year, name__iexact=name.strip()
        )
        if area is not None:
            same = same.exclude(pk=area.pk)
        if same.exists():
            errors["name"] = f"There is already an area called {name.strip()} in {academic_year_label(academic_year)}"
    _check_coordinator(partnership, coordinator, errors)
    _check_status(status, errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def development_area_create(
    *,
    actor: User,
    partnership: Partnership,
    academic_year: int,
    name: str,
    coordinator: Person | None,
    objectives: str = "",
) -> DevelopmentArea:
    _area_validate(partnership=partnership, academic_year=academic_year, name=name, coordinator=coordinator)
    area = DevelopmentArea.objects.create(
        partnership=partnership,
        academic_year=academic_year,
        name=name.strip(),
        coordinator=coordinator,
        objectives=objectives.strip(),
    )
    audit_record(
        subject=area,
        actor=actor,
        partnership=partnership,
        action=AuditAction.DEVELOPMENT_AREA_CREATED,
        summary=f"Development area {area.name} for {academic_year_label(academic_year)}",
        data={"area": area.pk, "coordinator": getattr(coordinator, "pk", None)},
    )
    return area


@transaction.atomic
def development_area_update(
    *,
    actor: User,
    area: DevelopmentArea,
    name: str,
    coordinator: Person | None,
    objectives: str,
    evaluation: str,
    status: str,
) -> DevelopmentArea:
    area = DevelopmentArea.objects.select_for_update().get(pk=area.pk)
    _area_validate(
        partnership=area.partnership,
        academic_year=area.academic_year,
        name=name,
        coordinator=coordinator,
        status=status,
        area=area,
    )
    area.name = name.strip()
    area.coordinator = coordinator
    area.objectives = objectives.strip()
    area.evaluation = evaluation.strip()
    area.status = status
    area.save()
    audit_record(
        subject=area,
        actor=actor,
        partnership=area.partnership,
        action=AuditAction.DEVELOPMENT_AREA_CHANGED,
        summary=f"Development area {area.name} ({academic_year_label(area.academic_year)}) changed",
        data={"area": area.pk, "status": status},
    )
    return area


def _plan_item_validate(partnership, *, description: str, status: str, owner=None) -> None:
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Enter a description"
    _check_status(status, errors)
    _check_person(partnership, owner, "owner", errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def development_action_add(
    *,
    actor: User,
    area: DevelopmentArea,
    description: str,
    owner: Person | None = None,
    due: datetime.date | None = None,
    status: str = Status.PLANNED,
) -> DevelopmentAction:
    _plan_item_validate(area.partnership, description=description, status=status, owner=owner)
    action = DevelopmentAction.objects.create(
        area=area, description=description.strip(), owner=owner, due=due, status=status
    )
    audit_record(
        subject=area,
        actor=actor,
        partnership=area.partnership,
        action=AuditAction.DEVELOPMENT_ACTION_ADDED,
        summary=f"Action added to {area.name}: {action.description}",
        data={"area": area.pk, "action": action.pk},
    )
    return action


@transaction.atomic
def development_action_update(
    *,
    actor: User,
    action: DevelopmentAction,
    description: str,
    owner: Person | None,
    due: datetime.date | None,
    status: str,
) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_related("area").select_for_update(of=("self",)).get(pk=action.pk)
    _plan_item_validate(action.area.partnership, description=description, status=status, owner=owner)
    action.description, action.owner, action.due, action.status = description.strip(), owner, due, status
    action.save()
    audit_record(
        subject=action.area,
        actor=actor,
        partnership=action.area.partnership,
        action=AuditAction.DEVELOPMENT_ACTION_CHANGED,
        summary=f"Action in {action.area.name} is {action.get_status_display().lower()}: {action.description}",
        data={"area": action.area_id, "action": action.pk, "status": status},
    )
    return action


@transaction.atomic
def development_milestone_add(
    *, actor: User, area: DevelopmentArea, description: str, due: datetime.date, status: str = Status.PLANNED
) -> DevelopmentMilestone:
    _plan_item_validate(area.partnership, description=description, status=status)
    milestone = DevelopmentMilestone.objects.create(area=area, description=description.strip(), due=due, status=status)
    audit_record(
        subject=area,
        actor=actor,
        partnership=area.partnership,
        action=AuditAction.DEVELOPMENT_MILESTONE_ADDED,
        summary=f"Milestone added to {area.name}: {milestone.description}",
        data={"area": area.pk, "milestone": milestone.pk},
    )
    return milestone


@transaction.atomic
def development_milestone_update(
    *, actor: User, milestone: DevelopmentMilestone, description: str, due: datetime.date, status: str
) -> DevelopmentMilestone:
    milestone = DevelopmentMilestone.objects.select_related("area").select_for_update(of=("self",)).get(pk=milestone.pk)
    _plan_item_validate(milestone.area.partnership, description=description, status=status)
    milestone.description, milestone.due, milestone.status = description.strip(), due, status
    milestone.save()
    audit_record(
        subject=milestone.area,
        actor=actor,
        partnership=milestone.area.partnership,
        action=AuditAction.DEVELOPMENT_MILESTONE_CHANGED,
        summary=f"Milestone in {milestone.area.name} is {milestone.get_status_display().lower()}: "
        f"{milestone.description}",
        data={"area": milestone.area_id, "milestone": milestone.pk, "status": status},
    )
    return milestone


def _check_lead(area: DevelopmentArea, school: School, lead: Person | None, errors: dict) -> None:
    if lead is None:
        return
    if lead.partnership_id != area.partnership_id:
        errors["lead"] = f"Choose a person of {school.name}"
    elif lead.school_id != school.pk:
        errors["lead"] = f"{lead.full_name} is at {lead.school.name}: the lead must be a person of {school.name}"


@transaction.atomic
def area_participation_add(
    *, actor: User, area: DevelopmentArea, school: School, lead: Person | None = None
) -> AreaParticipation:
    """A member school takes part in an area, with its named lead person (one of its own people)."""
    errors: dict[str, str] = {}
    if not _is_current_member(area.partnership, school):
        errors["school"] = f"{school.name} is not a current member of the partnership"
    elif AreaParticipation.objects.filter(area=area, school=school).exists():
        errors["school"] = f"{school.name} already takes part in {area.name}"
    _check_lead(area, school, lead, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            participation = AreaParticipation.objects.create(area=area, school=school, lead=lead)
    except IntegrityError:  # a second coordinator added the same school a moment ago
        raise ValidationError({"school": f"{school.name} already takes part in {area.name}"}) from None
    audit_record(
        subject=area,
        actor=actor,
        partnership=area.partnership,
        action=AuditAction.DEVELOPMENT_PARTICIPATION_ADDED,
        summary=f"{school.name} takes part in {area.name}"
        + (f", led by {lead.full_name}" if lead else ", lead not yet named"),
        data={"area": area.pk, "school": school.pk, "lead": getattr(lead, "pk", None)},
    )
    return participation


@transaction.atomic
def area_participation_update(
    *, actor: User, participation: AreaParticipation, lead: Person | None
) -> AreaParticipation:
    participation = (
        AreaParticipation.objects.select_related("area", "school")
        .select_for_update(of=("self",))
        .get(pk=participation.pk)
    )
    errors: dict[str, str] = {}
    _check_lead(participation.area, participation.school, lead, errors)
    if errors:
        raise ValidationError(errors)
    participation.lead = lead
    participation.save(update_fields=["lead"])
    audit_record(
        subject=participation.area,
        actor=actor,
        partnership=participation.area.partnership,
        action=AuditAction.DEVELOPMENT_LEAD_CHANGED,
        summary=f"{participation.school.name}'s lead for {participation.area.name}: "
        + (lead.full_name if lead else "not named"),
        data={"participation": participation.pk, "lead": getattr(lead, "pk", None)},
    )
    return participation


@transaction.atomic
def area_participation_remove(*, actor: User, participation: AreaParticipation) -> None:
    area, school = participation.area, participation.school
    deleted, _ = AreaParticipation.objects.filter(pk=participation.pk).delete()
    if not deleted:
        raise ValidationError(f"{school.name} no longer takes part in {area.name}")
    audit_record(
        subject=area,
        actor=actor,
        partnership=area.partnership,
        action=AuditAction.DEVELOPMENT_PARTICIPATION_REMOVED,
        summary=f"{school.name} no longer takes part in {area.name}",
        data={"area": area.pk, "school": school.pk},
    )
