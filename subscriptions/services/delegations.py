"""A headteacher names a colleague to book for the school (adviser activities and places at events),
and withdraws it. Whether a naming is in force is subscriptions.selectors.delegated_school_ids, and
only there: it is never stored, so it lapses with the headteacher's role or the colleague's."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label, has_ended
from core.outbox import outbox_enqueue
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.permissions import holds_role
from schools.models import School
from subscriptions.models import BookingDelegation


def _holds_a_role_for(user: User, partnership: Partnership, school: School) -> bool:
    with scopes_disabled():
        return RoleAssignment.objects.filter(user=user, partnership=partnership, school=school).active().exists()


def _audit(actor: User, delegation: BookingDelegation, action: AuditAction, summary: str) -> None:
    audit_record(
        subject=delegation,
        actor=actor,
        partnership=delegation.partnership,
        action=action,
        summary=summary,
        data={
            "delegation": delegation.pk,
            "school": delegation.school_id,
            "delegate": delegation.delegate_id,
            "start": delegation.start.isoformat(),
            "end": delegation.end.isoformat() if delegation.end else None,
        },
    )


def _tell(delegation: BookingDelegation, *, kind: str, subject: str) -> None:
    url = settings.SITE_URL + reverse("subscriptions:index", kwargs={"partnership_slug": delegation.partnership.slug})
    outbox_enqueue(
        about=f"booking-delegation:{delegation.pk}",
        kind=kind,
        recipient=delegation.delegate.email,
        template="subscriptions/email/delegation",
        context={"reader": delegation.delegate, "delegation": delegation, "given": kind.endswith("given"), "url": url},
        subject=subject,
    )


@transaction.atomic
def delegation_grant(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    delegate: User | None,
    start: datetime.date | None,
    end: datetime.date | None = None,
) -> BookingDelegation:
    """The school's headteacher names a colleague (someone holding a role for the same school in the
    partnership) to book for the school from `start` until `end` (inclusive; None: until withdrawn)."""
    if not holds_role(actor, partnership.pk, Role.HEADTEACHER, school.pk):
        raise ValidationError(f"Only the headteacher of {school.name} names who books for the school")
    errors = {}
    today = timezone.localdate()
    if delegate is None:
        errors["delegate"] = "Choose the colleague who may book"
    elif delegate.pk == actor.pk:
        errors["delegate"] = "Choose a colleague: as headteacher you already book for the school"
    elif not _holds_a_role_for(delegate, partnership, school):
        errors["delegate"] = f"Choose a colleague who holds a role for {school.name}: {delegate} holds none"
    if start is None:
        errors["start"] = "Enter the first day"
    elif end is not None and end < start:
        errors["end"] = "Enter a last day on or after the first day"
    elif has_ended(end, today):
        errors["end"] = "Enter a last day that is today or later"
    if not errors:
        already = BookingDelegation.objects.filter(partnership=partnership, school=school, delegate=delegate).filter(
            withdrawn_at__isnull=True
        )
        if any(not has_ended(d.end, today) for d in already):
            errors["delegate"] = f"{delegate} may already book for {school.name}: withdraw that first to change it"
    if errors:
        raise ValidationError(errors)
    delegation = BookingDelegation.objects.create(
        partnership=partnership, school=school, delegate=delegate, given_by=actor, start=start, end=end
    )
    until = f" until {date_label(end)}" if end else ""
    _audit(
        actor,
        delegation,
        AuditAction.BOOKING_DELEGATION_GIVEN,
        f"{delegate} may book for {school.name} from {date_label(start)}{until}",
    )
    _tell(delegation, kind="booking_delegation.given", subject=f"You may now book for {school.name}")
    return delegation


@transaction.atomic
def delegation_withdraw(*, actor: User, delegation: BookingDelegation) -> BookingDelegation:
    """The school's headteacher withdraws a naming, at any time. Withdrawing twice changes nothing."""
    delegation = BookingDelegation.objects.select_for_update().get(pk=delegation.pk)
    if not holds_role(actor, delegation.partnership_id, Role.HEADTEACHER, delegation.school_id):
        raise ValidationError(f"Only the headteacher of {delegation.school.name} withdraws who books for the school")
    if delegation.withdrawn_at is not None:
        return delegation
    delegation.withdrawn_at = timezone.now()
    delegation.withdrawn_by = actor
    delegation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _audit(
        actor,
        delegation,
        AuditAction.BOOKING_DELEGATION_WITHDRAWN,
        f"{delegation.delegate} may no longer book for {delegation.school.name}",
    )
    _tell(
        delegation,
        kind="booking_delegation.withdrawn",
        subject=f"You no longer book for {delegation.school.name}",
    )
    return delegation
