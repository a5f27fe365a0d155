"""The Kent PEP headteacher's year: the plan with its outcomes and milestones, CPD attended, commissioned
leadership support given (at most 16 days a year), the performance-management panel (a headteacher
whose school the PEP advises may not sit on it: subscriptions.selectors.panel_member_conflict), and the
annual review meeting."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from partnerships.calendar import academic_year_label
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from schools.models import School
from subscriptions.models import CpdRecord, PanelMember, PepMilestone, PepOutcome, PepPlan, SupportDay
from subscriptions.selectors import PANEL_REVIEWERS, SUPPORT_DAYS_A_YEAR, panel_member_conflict

HALF = Decimal("0.5")


def _audit(actor, plan: PepPlan, action: AuditAction, summary: str, **data) -> None:
    audit_record(
        subject=plan,
        actor=actor,
        partnership=plan.partnership,
        action=action,
        summary=summary,
        data={"plan": plan.pk, **data},
    )


def _in_year(plan: PepPlan, day: datetime.date | None, field: str) -> dict[str, str]:
    if day is None:
        return {field: "Enter the date"}
    if not datetime.date(plan.year, 9, 1) <= day <= datetime.date(plan.year + 1, 8, 31):
        return {field: f"Choose a date in {academic_year_label(plan.year)}, the plan's year"}
    return {}


def _days_problem(days: Decimal | None, field: str, *, most: Decimal) -> dict[str, str]:
    if days is None or days <= 0:
        return {field: "Enter the days as more than 0, like 1 or 0.5"}
    if (days / HALF) % 1:
        return {field: "Enter the days in half days, like 1.5"}
    if days > most:
        return {field: f"Enter {most.normalize():f} days or fewer"}
    return {}


@transaction.atomic
def pep_plan_create(
    *, actor: User, partnership: Partnership, pep: User, year: int, sip_share_percent: int = 33
) -> PepPlan:
    if not RoleAssignment.objects.filter(partnership=partnership, user=pep, role=Role.ADVISER).exists():
        raise ValidationError({"pep": f"{pep} is not a school improvement partner of any school here"})
    if PepPlan.objects.filter(partnership=partnership, pep=pep, year=year).exists():
        raise ValidationError({"pep": f"{pep} already has a plan for {academic_year_label(year)}"})
    if not 0 <= sip_share_percent <= 100:
        raise ValidationError({"sip_share_percent": "Enter the share of time as a percentage, from 0 to 100"})
    plan = PepPlan.objects.create(partnership=partnership, pep=pep, year=year, sip_share_percent=sip_share_percent)
    if not partnership.offers_subscriptions:  # the menu item that leads to the PEP's pages
        Partnership.objects.filter(pk=partnership.pk).update(offers_subscriptions=True)
    _audit(actor, plan, AuditAction.PEP_PLAN_CREATED, f"{pep}'s plan for {academic_year_label(year)} set up")
    return plan


@transaction.atomic
def pep_outcome_add(
    *, actor: User, plan: PepPlan, text: str, milestones: list[tuple[str, datetime.date]]
) -> PepOutcome:
    """An outcome of the PEP's individual plan with the milestones that show it is on track."""
    if not text.strip():
        raise ValidationError({"text": "Enter the outcome"})
    for _, due in milestones:
        if errors := _in_year(plan, due, "milestones"):
            raise ValidationError(errors)
    outcome = PepOutcome.objects.create(plan=plan, text=text.strip(), order=plan.outcomes.count() + 1)
    PepMilestone.objects.bulk_create(
        PepMilestone(outcome=outcome, text=milestone.strip(), due=due)
        for milestone, due in milestones
        if milestone.strip()
    )
    _audit(actor, plan, AuditAction.PEP_OUTCOME_ADDED, f"Outcome agreed: {outcome.text[:120]}", outcome=outcome.pk)
    return outcome


@transaction.atomic
def pep_milestone_met(*, actor: User, milestone: PepMilestone, met_on: datetime.date, evidence: str) -> PepMilestone:
    if not evidence.strip():
        raise ValidationError({"evidence": "Say what shows the milestone was met"})
    milestone.met_on, milestone.evidence = met_on, evidence.strip()
    milestone.save(update_fields=["met_on", "evidence"])
    _audit(actor, milestone.outcome.plan, AuditAction.PEP_MILESTONE_MET, f"Milestone met: {milestone.text[:120]}")
    return milestone


@transaction.atomic
def pep_cpd_record(
    *, actor: User, plan: PepPlan, kind: str, on: datetime.date, days: Decimal, title: str = ""
) -> CpdRecord:
    errors = _in_year(plan, on, "on") | _days_problem(days, "days", most=Decimal("5"))
    if kind not in CpdRecord.Kind.values:
        errors["kind"] = "Choose the kind of CPD"
    elif kind == CpdRecord.Kind.OPTIONAL and not title.strip():
        errors["title"] = "Say what the optional CPD was"
    if errors:
        raise ValidationError(errors)
    record = CpdRecord.objects.create(plan=plan, kind=kind, on=on, days=days, title=title.strip(), recorded_by=actor)
    label = title.strip() or record.get_kind_display()
    _audit(actor, plan, AuditAction.PEP_CPD_RECORDED, f"{label}, {date_label(on)}: {days.normalize():f} days")
    return record


@transaction.atomic
def pep_support_day_record(
    *, actor: User, plan: PepPlan, school: School, on: datetime.date, days: Decimal, note: str = ""
) -> SupportDay:
    """Commissioned leadership support given to a school; at most 16 days in the plan's year."""
    PepPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one total at a time
    given = SupportDay.objects.filter(plan=plan).aggregate(total=Sum("days"))["total"] or Decimal("0")
    errors = _in_year(plan, on, "on") | _days_problem(days, "days", most=Decimal("5"))
    if not errors and given + days > SUPPORT_DAYS_A_YEAR:
        left = SUPPORT_DAYS_A_YEAR - given
        errors["days"] = (
            f"The agreement allows up to {SUPPORT_DAYS_A_YEAR.normalize():f} days a year and "
            f"{given.normalize():f} are given: {left.normalize():f} left"
        )
    if errors:
        raise ValidationError(errors)
    day = SupportDay.objects.create(plan=plan, school=school, on=on, days=days, note=note.strip(), recorded_by=actor)
    _audit(actor, plan, AuditAction.PEP_SUPPORT_RECORDED, f"{days.normalize():f} days of support to {school.name}")
    return day


@transaction.atomic
def pep_panel_member_add(
    *,
    actor: User,
    plan: PepPlan,
    seat: str,
    meets_on: datetime.date,
    user: User | None = None,
    name: str = "",
) -> PanelMember:
    """A member of the PEP's performance-management panel. Three reviewers, each seat once; a
    headteacher whose school the PEP advises on the panel's date is refused (a conflict of interest)."""
    errors = _in_year(plan, meets_on, "meets_on")
    if seat not in PanelMember.Seat.values:
        errors["seat"] = "Choose the seat on the panel"
    elif PanelMember.objects.filter(plan=plan, seat=seat).exclude(seat=PanelMember.Seat.EXTERNAL_ADVISER).exists():
        errors["seat"] = f"The panel already has its {PanelMember.Seat(seat).label.lower()}"
    if user is None and not name.strip():
        errors["user"] = "Choose who sits on the panel"
    elif user is not None and user.pk == plan.pep_id:
        errors["user"] = "The PEP cannot sit on their own panel"
    if not errors and seat == PanelMember.Seat.HEADTEACHER:
        if user is None:
            errors["user"] = "Choose the headteacher"
        elif conflict := panel_member_conflict(plan, user, meets_on):
            errors["user"] = conflict
    reviewers = PanelMember.objects.filter(plan=plan, seat__in=PanelMember.REVIEWERS).count()
    if not errors and seat in PanelMember.REVIEWERS and reviewers >= PANEL_REVIEWERS:
        errors["seat"] = f"The panel has its {PANEL_REVIEWERS} reviewers"
    if errors:
        raise ValidationError(errors)
    member = PanelMember.objects.create(
        plan=plan, seat=seat, user=user, name=name.strip(), meets_on=meets_on, added_by=actor
    )
    _audit(actor, plan, AuditAction.PEP_PANEL_MEMBER_ADDED, f"{member} on the PEP's panel")
    return member


@transaction.atomic
def pep_annual_review_record(*, actor: User, plan: PepPlan, held_on: datetime.date, notes: str) -> PepPlan:
    """The annual review meeting at the end of the year, against the agreed outcomes."""
    if not notes.strip():
        raise ValidationError({"notes": "Record what the review found against the outcomes"})
    plan.annual_review_on, plan.annual_review_notes = held_on, notes.strip()
    plan.save(update_fields=["annual_review_on", "annual_review_notes"])
    _audit(actor, plan, AuditAction.PEP_ANNUAL_REVIEW_RECORDED, f"Annual review held {date_label(held_on)}")
    return plan
