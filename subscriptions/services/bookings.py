"""Booking an adviser's time against a school's credits, cancelling it, and recording what happened.

The cost is the tariff's (subscriptions.selectors.tariff_credits), shown before confirming and taken
from the ledger as the booking is made; the ledger refuses a booking beyond the balance. Cancelling at
least the plan's cut-off before the day refunds it in full, later not at all. When the adviser records
the actual hours and whether a report was written, the difference is put right by an adjusting entry.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from partnerships.calendar import academic_year_label
from subscriptions.models import Booking, CreditEntry, Subscription, TariffItem
from subscriptions.selectors import hours_problem, tariff_credits
from subscriptions.services.credits import credit_append

B = Booking.Status


def _audit(actor, booking: Booking, action: AuditAction, summary: str, **data) -> None:
    audit_record(
        subject=booking,
        actor=actor,
        partnership=booking.subscription.partnership,
        action=action,
        summary=summary,
        data={"booking": booking.pk, "school": booking.subscription.school_id, **data},
    )


def _n(credits: Decimal) -> str:
    return f"{credits.normalize():f}"


def booking_validate(
    *, subscription: Subscription, item: TariffItem, on: datetime.date | None, hours: Decimal | None
) -> None:
    """Everything a booking must be, before its cost is taken: the booking page checks it before it
    shows the cost, and booking_create again as it books."""
    errors = {}
    if item.partnership_id != subscription.partnership_id or not item.active:
        errors["item"] = "Choose an activity from the tariff"
    elif item.kind != TariffItem.Kind.ADVISER_ACTIVITY:
        errors["item"] = f"{item.name} is not an adviser's activity: book places at its event instead"
    if problem := hours_problem(hours):
        errors["hours"] = problem
    label = academic_year_label(subscription.year)
    if on is None:
        errors["on"] = "Enter the date of the activity"
    elif not datetime.date(subscription.year, 9, 1) <= on <= datetime.date(subscription.year + 1, 8, 31):
        errors["on"] = f"Choose a date in {label}, the year of the subscription"
    elif on < timezone.localdate():
        errors["on"] = "Choose a date from today onwards"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def booking_create(
    *,
    actor: User,
    subscription: Subscription,
    item: TariffItem,
    on: datetime.date,
    hours: Decimal,
    report: bool,
    notes: str = "",
) -> Booking:
    """Book an adviser's activity in school, paid for in credits."""
    booking_validate(subscription=subscription, item=item, on=on, hours=hours)
    cost = tariff_credits(item, hours=hours, report=report)
    booking = Booking.objects.create(
        subscription=subscription,
        item=item,
        on=on,
        hours=hours,
        report=report,
        credits=cost,
        notes=notes.strip(),
        booked_by=actor,
    )
    if cost:  # a free activity takes nothing from the ledger
        credit_append(
            subscription=subscription,
            kind=CreditEntry.Kind.BOOKING,
            amount=-cost,
            description=f"{item.name}, {date_label(on)}: {_n(hours)} hours{' and a report' if report else ''}",
            booking=booking,
            recorded_by=actor,
            field="hours",
        )
    _audit(
        actor,
        booking,
        AuditAction.BOOKING_MADE,
        f"{subscription.school.name} booked {item.name} on {date_label(on)} for {_n(cost)} credits",
        credits=str(cost),
    )
    return booking


def refund_due(booking: Booking, today: datetime.date | None = None) -> bool:
    """The cancellation policy: a full refund at least the plan's cut-off before the day, none after."""
    today = today or timezone.localdate()
    return (booking.on - today).days >= booking.subscription.plan.cancel_days


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    booking = (
        Booking.objects.select_for_update()
        .select_related("subscription__plan", "subscription__school", "item")
        .get(pk=booking.pk)
    )
    if booking.status != B.BOOKED:
        raise ValidationError(f"This booking is {booking.get_status_display().lower()} and cannot be cancelled")
    refunded = refund_due(booking)
    if refunded and booking.credits:
        credit_append(
            subscription=booking.subscription,
            kind=CreditEntry.Kind.REFUND,
            amount=booking.credits,
            description=f"{booking.item.name}, {date_label(booking.on)}: cancelled",
            booking=booking,
            recorded_by=actor,
        )
    booking.status = B.CANCELLED
    booking.save(update_fields=["status"])
    outcome = f"{_n(booking.credits)} credits refunded" if refunded else "too late for a refund"
    _audit(
        actor,
        booking,
        AuditAction.BOOKING_CANCELLED,
        f"{booking.item.name} on {date_label(booking.on)} cancelled: {outcome}",
    )
    return booking


@transaction.atomic
def booking_actuals_record(*, actor: User, booking: Booking, actual_hours: Decimal, report_written: bool) -> Booking:
    """What happened: the hours in school and whether a report was written. The charge is trued up by
    an adjusting entry for the difference (a refund if less, a further charge if more)."""
    booking = Booking.objects.select_for_update().select_related("subscription__school", "item").get(pk=booking.pk)
    if booking.status == B.CANCELLED:
        raise ValidationError("This booking was cancelled: there is nothing to record")
    if problem := hours_problem(actual_hours, what="the hours spent in school"):
        raise ValidationError({"actual_hours": problem})
    if booking.on > timezone.localdate():
        raise ValidationError(
            {"actual_hours": f"Record the time on or after the day of the activity ({date_label(booking.on)})"}
        )
    # What the booking has taken so far: its charge, less any earlier adjustment (a credit back is +).
    adjusted = booking.credit_entries.filter(kind=CreditEntry.Kind.ADJUSTMENT).values_list("amount", flat=True)
    charged = booking.credits - sum(adjusted, Decimal("0"))
    actual = tariff_credits(booking.item, hours=actual_hours, report=report_written)
    difference = actual - charged
    if difference:
        credit_append(
            subscription=booking.subscription,
            kind=CreditEntry.Kind.ADJUSTMENT,
            amount=-difference,
            description=f"{booking.item.name}, {date_label(booking.on)}: {_n(actual_hours)} hours"
            f"{' and a report' if report_written else ''} (booked {_n(booking.hours)})",
            booking=booking,
            recorded_by=actor,
            field="actual_hours",
        )
    booking.actual_hours, booking.report_written, booking.recorded_by, booking.status = (
        actual_hours,
        report_written,
        actor,
        B.DONE,
    )
    booking.save(update_fields=["actual_hours", "report_written", "recorded_by", "status"])
    _audit(
        actor,
        booking,
        AuditAction.BOOKING_ACTUALS_RECORDED,
        f"{booking.item.name} on {date_label(booking.on)}: {_n(actual_hours)} hours recorded, {_n(actual)} credits",
        difference=str(difference),
    )
    return booking
