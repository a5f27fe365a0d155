"""Appending to a subscription's credit ledger: the one way any credit moves.

The subscription's row is locked first, so entries are appended one at a time: the last entry read is
the last there is, the next sequence number is free, and the balance after is exact. The database
refuses a second entry with the same number and any balance below nothing, so even code that forgot
the lock could not overspend.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.models import User
from subscriptions.models import Booking, CreditEntry, Subscription


def _credits(amount: Decimal) -> str:
    return f"{amount.normalize():f} credit{'' if amount == 1 else 's'}"


def credit_append(
    *,
    subscription: Subscription,
    kind: str,
    amount: Decimal,
    description: str,
    booking: Booking | None = None,
    recorded_by: User | None = None,
    field: str | None = None,
) -> CreditEntry:
    """Append one entry (inside the caller's transaction, which audits). A debit beyond the balance is
    refused, naming what is needed and what is left (against `field` when a form asked for it)."""
    if amount == 0 or (amount * 2) % 1:
        # The tariff moves credits in halves (half an hour; a half-day place): anything else is a mistake.
        message = f"{amount} is not an amount of credits the tariff can produce: use whole or half credits"
        raise ValidationError({field: message} if field else message)
    locked = Subscription.objects.select_for_update().select_related("school").get(pk=subscription.pk)
    last = CreditEntry.objects.filter(subscription=locked).order_by("-sequence").first()
    balance = last.balance_after if last else Decimal("0")
    if balance + amount < 0:
        message = f"This needs {_credits(-amount)} and {locked.school.name} has {_credits(balance)} left this year"
        raise ValidationError({field: message} if field else message)
    return CreditEntry.objects.create(
        subscription=locked,
        sequence=(last.sequence + 1) if last else 1,
        kind=kind,
        amount=amount,
        balance_after=balance + amount,
        booking=booking,
        description=description[:250],
        recorded_by=recorded_by,
    )
