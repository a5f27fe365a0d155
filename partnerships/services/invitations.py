"""Invitations: the only way a person joins. Each use case is one atomic, audited function."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import Invitation, User
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.services import role_start, role_validate
from schools.models import School


def _for_school(school: School | None) -> str:
    return f" for {school.name}" if school else ""


@transaction.atomic
def invitation_create(
    *, actor: User, partnership: Partnership, email: str, full_name: str, role: str, school: School | None = None
) -> Invitation:
    email = email.strip().lower()
    today = timezone.localdate()
    role_validate(partnership=partnership, role=role, school=school, start=today)
    label = Role(role).label.lower()
    with scopes_disabled():
        if (
            RoleAssignment.objects.filter(user__email__iexact=email, partnership=partnership, role=role, school=school)
            .active(today)
            .exists()
        ):
            raise ValidationError({"email": f"{email} is already {label}{_for_school(school)} in {partnership.name}"})
        pending = Invitation.objects.filter(
            partnership=partnership,
            email__iexact=email,
            role=role,
            school=school,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).first()
    if pending:
        raise ValidationError(
            {
                "email": f"{email} was already invited as {label}{_for_school(school)} on "
                f"{timezone.localtime(pending.created_at):%-d %B %Y}; withdraw that invitation to send a new one"
            }
        )
    invitation = Invitation(
        partnership=partnership,
        email=email,
        full_name=full_name.strip(),
        role=role,
        school=school,
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    with scopes_disabled():
        invitation.save()
    audit_record(
        subject=invitation,
        actor=actor,
        partnership=partnership,
        action=AuditAction.INVITATION_CREATED,
        summary=f"{actor} invited {email} to be {label}{_for_school(school)}",
        data={"invitation": invitation.pk, "role": role},
    )
    from partnerships.tasks.invitations import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(invitation.pk, partnership_id=partnership.pk))
    return invitation


@transaction.atomic
def invitation_withdraw(*, actor: User, invitation: Invitation) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise ValidationError(f"This invitation is already {invitation.status}")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit_record(
        subject=invitation,
        actor=actor,
        partnership=invitation.partnership,
        action=AuditAction.INVITATION_WITHDRAWN,
        summary=f"{actor} withdrew the invitation of {invitation.email}",
        data={"invitation": invitation.pk},
    )


def invitation_from_token(token: str) -> Invitation | None:
    pk = Invitation.pk_from_token(token)
    if pk is None:
        return None
    # The signed token is the capability: it names one invitation, whichever partnership it is in.
    with scopes_disabled():
        return Invitation.objects.select_related("partnership", "school").filter(pk=pk).first()


def _check_usable(invitation: Invitation) -> None:
    status = invitation.status
    if status == "accepted":
        raise ValidationError("This invitation has already been used. Sign in with your email address and password.")
    if status == "withdrawn":
        raise ValidationError("This invitation was withdrawn. Ask your partnership's coordinator for a new one.")
    if status == "expired":
        raise ValidationError("This invitation has expired. Ask your partnership's coordinator for a new one.")


@transaction.atomic
def invitation_accept(*, actor: User | None, invitation: Invitation, full_name: str = "", password: str = "") -> User:
    """Accept an invitation: a new person (actor None: nobody is signed in) sets a name and password and
    the account made is the actor from then on; an existing one is signed in already (the actor)."""
    user = actor
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("partnership", "school")
            .get(pk=invitation.pk)
        )
    _check_usable(invitation)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError("You already have an account: sign in first, then open the link again.")
        user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name.strip())
        # The link reached this address, so the address is verified.
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(f"This invitation is for {invitation.email}. Sign out and open the link again.")
    role_start(
        actor=user,
        user=user,
        partnership=invitation.partnership,
        role=invitation.role,
        school=invitation.school,
    )
    # The school's record of this person (if the coordinator keeps one) now points at their account.
    from partnerships.services.members import people_link_user

    people_link_user(actor=user, user=user, partnership=invitation.partnership)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    with scopes_disabled():
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        subject=invitation,
        actor=user,
        partnership=invitation.partnership,
        action=AuditAction.INVITATION_ACCEPTED,
        summary=f"{user.email} accepted the invitation to be {Role(invitation.role).label.lower()}"
        f"{_for_school(invitation.school)}",
        data={"invitation": invitation.pk},
    )
    return user
