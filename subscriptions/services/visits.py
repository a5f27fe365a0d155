"""Notes of visit: the adviser plans a visit with its agenda, the headteacher agrees the agenda in
advance, the adviser writes up who was seen, the evidence, judgements and next steps, and every reading
of the note is recorded. Who may read a note is subscriptions.selectors.may_read_visit, and only there.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.outbox import outbox_enqueue
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.permissions import holds_role, school_permissions
from schools.models import School
from subscriptions.models import Visit, VisitView

SHAREABLE = [r for r in Role if r not in (Role.HEADTEACHER, Role.ADVISER)]


def _audit(actor, visit: Visit, action: AuditAction, summary: str, **data) -> None:
    audit_record(
        subject=visit,
        actor=actor,
        partnership=visit.partnership,
        action=action,
        summary=summary,
        data={"visit": visit.pk, "school": visit.school_id, **data},
    )


def _advises(user: User, partnership: Partnership, school: School) -> bool:
    return "advise_school" in school_permissions(user, partnership, school)


def _shared_with(roles) -> list[str]:
    roles = list(dict.fromkeys(str(r) for r in roles))
    if unknown := [r for r in roles if r not in {s.value for s in SHAREABLE}]:
        raise ValidationError({"shared_with": f"Choose roles from the list: {', '.join(unknown)} is not one"})
    return roles


def _agenda_problem(agenda: str) -> dict:
    return {} if agenda.strip() else {"agenda": "Enter the agenda agreed with the headteacher"}


@transaction.atomic
def visit_record(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    on: datetime.date,
    agenda: str,
    shared_with: list[str],
) -> Visit:
    """The adviser plans a visit to one of their schools, with its agenda for the headteacher to agree."""
    errors = _agenda_problem(agenda)
    if not _advises(actor, partnership, school):
        errors["school"] = f"You are not the adviser of {school.name}: choose one of your schools"
    if on is None:
        errors["on"] = "Enter the date of the visit"
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        partnership=partnership,
        school=school,
        adviser=actor,
        on=on,
        agenda=agenda.strip(),
        shared_with=_shared_with(shared_with),
    )
    _audit(actor, visit, AuditAction.VISIT_RECORDED, f"Visit to {school.name} on {on:%-d %B %Y} planned")
    _ask_head_to_agree(visit)
    return visit


def _ask_head_to_agree(visit: Visit) -> None:
    """The school's headteacher is asked to agree the visit's agenda (the agenda only: the note itself is
    never sent by email)."""
    with scopes_disabled():
        heads = [
            a.user
            for a in RoleAssignment.objects.filter(
                partnership=visit.partnership, school=visit.school, role=Role.HEADTEACHER
            )
            .active()
            .select_related("user")
        ]
    url = settings.SITE_URL + reverse(
        "subscriptions:visit_agenda", kwargs={"partnership_slug": visit.partnership.slug, "visit_pk": visit.pk}
    )
    for head in heads:
        outbox_enqueue(
            about=f"visit:{visit.pk}",
            kind="visit.agenda",
            recipient=head.email,
            template="subscriptions/email/visit_agenda",
            context={"reader": head, "visit": visit, "url": url},
            subject=f"Please agree the agenda for {visit.adviser.full_name}'s visit on {visit.on:%-d %B %Y}",
        )


@transaction.atomic
def visit_agenda_agree(*, actor: User, visit: Visit) -> Visit:
    """The school's headteacher agrees the agenda before the visit."""
    if not holds_role(actor, visit.partnership_id, Role.HEADTEACHER, visit.school_id):
        raise ValidationError(f"Only the headteacher of {visit.school.name} agrees the agenda of a visit")
    if visit.agenda_agreed_at:
        raise ValidationError("The agenda has already been agreed")
    visit.agenda_agreed_at = visit.updated_at = timezone.now()
    visit.agenda_agreed_by = actor
    visit.save(update_fields=["agenda_agreed_at", "agenda_agreed_by", "updated_at"])
    _audit(actor, visit, AuditAction.VISIT_CHANGED, f"Agenda of the visit to {visit.school.name} agreed")
    return visit


@transaction.atomic
def visit_notes_write(
    *,
    actor: User,
    visit: Visit,
    agenda: str,
    seen: str,
    evidence: str,
    judgements: str,
    next_steps: str,
    shared_with: list[str],
) -> Visit:
    """The adviser who made the visit writes (or corrects) its note. Changing an agreed agenda asks the
    headteacher to agree it again."""
    errors = _agenda_problem(agenda)
    if visit.adviser_id != actor.pk or not _advises(actor, visit.partnership, visit.school):
        raise ValidationError("Only the adviser who made the visit writes its note")
    if not (seen.strip() or evidence.strip() or judgements.strip() or next_steps.strip()):
        errors["seen"] = "Enter who was seen, the evidence, judgements or next steps"
    if errors:
        raise ValidationError(errors)
    if agenda.strip() != visit.agenda:
        visit.agenda_agreed_at = visit.agenda_agreed_by = None
    visit.agenda = agenda.strip()
    visit.seen, visit.evidence, visit.judgements, visit.next_steps = (
        seen.strip(),
        evidence.strip(),
        judgements.strip(),
        next_steps.strip(),
    )
    visit.shared_with = _shared_with(shared_with)
    visit.updated_at = timezone.now()
    visit.save()
    _audit(actor, visit, AuditAction.VISIT_CHANGED, f"Note of the visit to {visit.school.name} written")
    return visit


@transaction.atomic
def visit_read(*, actor: User, visit: Visit) -> VisitView:
    """Record that `actor` opened the note (the page checks they may, with may_read_visit)."""
    view = VisitView.objects.create(visit=visit, user=actor)
    _audit(actor, visit, AuditAction.VISIT_NOTE_VIEWED, f"Note of the visit to {visit.school.name} read")
    return view
