"""Creating a partnership: the tenant, with its constitution and term dates from the first moment."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.calendar import academic_year_of
from partnerships.models import Constitution, Partnership
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
    """A new partnership with its constitution (the model's defaults) and this and next year's terms,
    so no page ever has to create them."""
    partnership = Partnership.objects.create(
        name=name,
        slug=slug,
        purpose=purpose,
        aims=aims,
        agreement_starts=agreement_starts,
        agreement_ends=agreement_ends,
        status=status,
    )
    partnership_prepare(partnership=partnership)
    audit_record(
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
