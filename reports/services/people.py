"""Erasing a person's details at their request, keeping the partnership's history.

The person's account stays as the thing every record points at (attendance, minutes, actions, the
ledger's "recorded by"), so history is intact; what it is called becomes "Erased person N", and the
details that identify them are removed where they are stored as the person's own (their email and name
on school records and invitations, their reasons for apologies, their sign-in methods and calendar
links). What must stay unchanged is listed, with why, in reports.selectors.people.RETAINED."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.audit import AuditAction, audit_record
from accounts.models import Invitation, User
from finance.models import ContributionRequest
from meetings.models import CalendarFeed, Invitee
from partnerships.models import Partnership
from reports.selectors.people import ERASED_NAME, erasure_refusal
from schools.models import Person

REASON_REMOVED = "Removed at the person's request"


@transaction.atomic
def person_erase(*, actor: User, partnership: Partnership, person: User) -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    refusal = erasure_refusal(partnership=partnership, person=person, actor=actor)
    if refusal:
        raise ValidationError(refusal)
    email = person.email
    person.full_name = f"{ERASED_NAME} {person.pk}"
    person.email = f"erased-{person.pk}@erased.invalid"  # .invalid can never be delivered (RFC 2606)
    person.set_unusable_password()
    person.is_active = False
    person.save()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    CalendarFeed.objects.filter(user=person).delete()
    Person.objects.filter(Q(user=person) | Q(email__iexact=email), partnership=partnership).update(
        full_name=person.full_name, email=""
    )
    Invitation.objects.filter(Q(accepted_by=person) | Q(email__iexact=email), partnership=partnership).update(
        full_name=person.full_name, email=person.email
    )
    # Apologies always carry a reason (the agreements ask for one), so the reason itself is replaced.
    Invitee.objects.filter(meeting__partnership=partnership, user=person).exclude(apologies_reason="").update(
        apologies_reason=REASON_REMOVED
    )
    ContributionRequest.objects.filter(year__partnership=partnership, addressed_email__iexact=email).update(
        addressed_email=""
    )
    audit_record(
        subject=person,
        actor=actor,
        action=AuditAction.PERSON_ERASED,
        partnership=partnership,
        summary=f"A person's details erased at their request: now {person.full_name}",
        data={"user": person.pk},
    )
    return person
