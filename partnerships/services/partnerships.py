"""Creating a partnership: the tenant, with its constitution and term dates from the first moment."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.calendar import academic_year_of
from partnerships.models import AgreementVersion, Constitution, Partnership
from partnerships.services.terms import terms_ensure


@transaction.atomic
def partnership_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    purpose: str = "",
    aims: str = "",
    agreement_starts: datetime.date | None = None,
    agreement_ends: datetime.date | None = None,
    status: str = Partnership.Status.ACTIVE,
) -> Partnership:
    """A new partnership with its constitution (the model's defaults), this and next year's terms (so no
    page ever has to create them) and, when its agreement's term is known, that agreement as version 1."""
    if agreement_starts is not None and agreement_ends is not None and agreement_ends < agreement_starts:
        raise ValidationError({"agreement_ends": "The agreement must end on or after the day it starts"})
    partnership = Partnership.objects.create(name=name, slug=slug, purpose=purpose, aims=aims, status=status)
    partnership_prepare(partnership=partnership)
    if agreement_starts is not None:
        # An agreement already in force when the partnership comes to Commonroom: its first version,
        # published as it stands; its sections and signatories are written in the next version.
        with scope(partnership=partnership):
            AgreementVersion.objects.create(
                partnership=partnership,
                number=1,
                starts=agreement_starts,
                ends=agreement_ends,
                status=AgreementVersion.Status.PUBLISHED,
                published_at=timezone.now(),
                published_by=actor,
                created_by=actor,
            )
    audit_record(
        subject=partnership,
        actor=actor,
        partnership=partnership,
        action=AuditAction.PARTNERSHIP_CREATED,
        summary=f"{name} created",
        data={"slug": slug},
    )
    return partnership


def partnership_prepare(*, partnership: Partnership, on: datetime.date | None = None) -> None:
    """Make sure the partnership has its constitution and the current and next academic year's terms.

    Idempotent: for a new partnership, the daily task (so next year's terms exist before September)
    and partnerships that existed before this rule."""
    year = academic_year_of(on or timezone.localdate())
    with scope(partnership=partnership):
        Constitution.objects.get_or_create(partnership=partnership)
    terms_ensure(partnership, year)
    terms_ensure(partnership, year + 1)
