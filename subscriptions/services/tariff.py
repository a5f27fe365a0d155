"""The tariff as data the coordinator edits: what each activity or event costs in credits or money.

Rates are chosen so that every booking costs whole or half credits (the ledger's unit): an hour in
school is a whole number of credits (so half an hour is a half), the report's premium and the
per-attendee rates are whole or half credits; prices are pounds and pence.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.models import Partnership
from subscriptions.models import TariffItem

K = TariffItem.Kind
MOST_CREDITS = Decimal("100")
MOST_PRICE = Decimal("100000")


def _credit_problem(value: Decimal | None, what: str, *, whole: bool = False) -> str:
    if value is None or value < 0:
        return f"Enter {what} as 0 or more"
    if value > MOST_CREDITS:
        return f"Enter {what} as {MOST_CREDITS} or fewer"
    if whole and value % 1:
        return f"Enter {what} as a whole number, so that half an hour costs half of it"
    if (value * 2) % 1:
        return f"Enter {what} in whole or half credits, like 2 or 1.5"
    return ""


def _price_problem(value: Decimal | None, what: str) -> str:
    if value is None:
        return f"Enter {what}"
    if value < 0 or value >= MOST_PRICE or value.as_tuple().exponent < -2:
        return f"Enter {what} in pounds and pence, like 95.00"
    return ""


@transaction.atomic
def tariff_item_save(
    *,
    actor: User,
    partnership: Partnership,
    item: TariffItem | None,
    name: str,
    kind: str,
    credits_per_hour: Decimal | None = Decimal("1"),
    report_credits: Decimal | None = Decimal("2"),
    half_day_credits: Decimal | None = Decimal("1"),
    whole_day_credits: Decimal | None = Decimal("2"),
    member_price: Decimal | None = None,
    non_member_price: Decimal | None = None,
    active: bool = True,
) -> TariffItem:
    """Add a line to the tariff (`item` None) or change one. A change applies to bookings made from now:
    each booking keeps the credits it was charged."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Enter the activity's name"
    elif (
        TariffItem.objects.filter(partnership=partnership, name__iexact=name)
        .exclude(pk=getattr(item, "pk", None))
        .exists()
    ):
        errors["name"] = f"The tariff already has {name}"
    if kind not in K.values:
        errors["kind"] = "Choose what kind of activity it is"
    elif kind == K.ADVISER_ACTIVITY:
        for field, value, what, whole in [
            ("credits_per_hour", credits_per_hour, "the credits an hour", True),
            ("report_credits", report_credits, "the credits for a report", False),
        ]:
            if problem := _credit_problem(value, what, whole=whole):
                errors[field] = problem
    elif kind == K.NETWORK_EVENT:
        for field, value, what in [
            ("half_day_credits", half_day_credits, "the credits for up to half a day"),
            ("whole_day_credits", whole_day_credits, "the credits for a whole day"),
        ]:
            if problem := _credit_problem(value, what):
                errors[field] = problem
    else:
        for field, value, what in [
            ("member_price", member_price, "the price for member schools"),
            ("non_member_price", non_member_price, "the price for other schools"),
        ]:
            if problem := _price_problem(value, what):
                errors[field] = problem
        if not errors and kind == K.OPEN_EVENT and non_member_price < member_price:
            errors["non_member_price"] = "Non-members pay the premium rate: at least the member price"
    if errors:
        raise ValidationError(errors)
    item = item or TariffItem(partnership=partnership)
    adding = item.pk is None
    item.name, item.kind, item.active = name, kind, active
    # Rates the kind does not use keep the model's defaults; prices only where money is charged.
    item.credits_per_hour = credits_per_hour if credits_per_hour is not None else Decimal("1")
    item.report_credits = report_credits if report_credits is not None else Decimal("2")
    item.half_day_credits = half_day_credits if half_day_credits is not None else Decimal("1")
    item.whole_day_credits = whole_day_credits if whole_day_credits is not None else Decimal("2")
    item.member_price, item.non_member_price = member_price, non_member_price
    item.save()
    audit_record(
        subject=item,
        actor=actor,
        partnership=partnership,
        action=AuditAction.TARIFF_ITEM_SAVED,
        summary=f"{'Added to' if adding else 'Changed in'} the tariff: {name}",
        data={"item": item.pk},
    )
    return item
