"""The register of interests: yearly declarations and reminders. Validated, atomic, audited.

"Declaring pecuniary interest" (the terms-of-reference template): everyone with a role declares their
pecuniary and other interests, or that they have none, each year; a new declaration supersedes the last.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.models import Interest, InterestDeclaration, Partnership, RoleAssignment
from partnerships.selectors.interests import DECLARING_ROLES, reminders_due

MAX_INTERESTS = 20
DESCRIPTION_LENGTH = 300


@transaction.atomic
def interest_declaration_create(
    *,
    actor: User,
    partnership: Partnership,
    nothing_to_declare: bool,
    interests: list[tuple[str, str]] | None = None,
) -> InterestDeclaration:
    """Record the actor's declaration for the year: "nothing to declare", or one or more interests."""
    interests = [(kind, (description or "").strip()) for kind, description in (interests or [])]
    holds_role = (
        RoleAssignment.objects.filter(
            partnership=partnership, user_id=getattr(actor, "pk", None), role__in=DECLARING_ROLES
        )
        .active()
        .exists()
    )
    if not holds_role:
        raise ValidationError(f"Only people with a role in {partnership.name} declare interests here")
    errors: dict[str, str] = {}
    if nothing_to_declare and interests:
        errors["has_interests"] = (
            "You chose nothing to declare but described interests: remove them, or choose that you have interests"
        )
    elif not nothing_to_declare and not interests:
        errors["has_interests"] = "Describe at least one interest, or choose that you have nothing to declare"
    elif len(interests) > MAX_INTERESTS:
        errors["interests"] = f"Declare at most {MAX_INTERESTS} interests at a time"
    for kind, description in interests:
        if kind not in Interest.Kind.values:
            errors["interests"] = "Choose whether each interest is pecuniary or other"
        elif not description:
            errors["interests"] = "Describe each interest"
        elif len(description) > DESCRIPTION_LENGTH:
            errors["interests"] = f"Describe each interest in {DESCRIPTION_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    declaration = InterestDeclaration.objects.create(
        partnership=partnership,
        user=actor,
        declared_on=timezone.localdate(),
        nothing_to_declare=nothing_to_declare,
    )
    Interest.objects.bulk_create(
        Interest(declaration=declaration, kind=kind, description=description) for kind, description in interests
    )
    what = "nothing to declare" if nothing_to_declare else f"{len(interests)} interest{'s' * (len(interests) != 1)}"
    audit_record(
        subject=declaration,
        actor=actor,
        partnership=partnership,
        action=AuditAction.INTERESTS_DECLARED,
        summary=f"{actor} declared {what}",
        data={"declaration": declaration.pk, "user": actor.pk, "interests": len(interests)},
    )
    return declaration


@transaction.atomic
def interest_reminders_request(*, actor: User, partnership: Partnership) -> int:
    """Ask for reminders to everyone whose declaration is missing or a year old; returns how many are due.

    The emails are sent by a task after the commit; it skips anyone already reminded today.
    """
    from partnerships.tasks.interests import remind_missing_declarations

    due = len(reminders_due(partnership))
    audit_record(
        actor=actor,
        partnership=partnership,
        action=AuditAction.INTERESTS_REMINDERS_REQUESTED,
        summary=f"Reminders to declare interests requested for {due} {'person' if due == 1 else 'people'}",
        data={"due": due},
    )
    transaction.on_commit(lambda: remind_missing_declarations.delay(partnership_id=partnership.pk))
    return due
