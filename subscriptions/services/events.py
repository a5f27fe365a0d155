"""Events with places: setting one up, changing its date, venue or number of places, and calling it off
(everyone with places told; credits refunded in full; invoices reversed). Booking and the waiting list
are subscriptions.services.places; naming who comes and the register, subscriptions.services.attendance.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction
from accounts.models import User
from core.dates import date_label
from core.outbox import outbox_enqueue
from finance.services.ledger import ledger_entry_reverse
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import Partnership
from subscriptions.models import CreditEntry, Event, EventPlaces, TariffItem
from subscriptions.selectors import forum_names
from subscriptions.services.credits import credit_append
from subscriptions.services.places import (
    K,
    P,
    _audit,
    _event_url,
    _lock,
    _n,
    _offer,
    _places,
    places_taken,
    taken_filter,
)

EVENT_KINDS = (K.NETWORK_EVENT, K.OPEN_EVENT)
MAX_CAPACITY = 10000


@transaction.atomic
def event_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    item: TariffItem,
    starts: datetime.datetime,
    whole_day: bool,
    capacity: int,
    places_per_school: int | None = None,
    forum: str = "",
    venue: str = "",
) -> Event:
    """Set up a network event (credits per attendee) or an open event (cash a place). An event that is
    one of the plans' forums takes each subscribing school's places per school from its plan."""
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the event's title"
    if item is None or item.partnership_id != partnership.pk or not item.active or item.kind not in EVENT_KINDS:
        errors["item"] = "Choose a network event or an open event from the tariff"
    elif item.kind == K.OPEN_EVENT and (item.member_price is None or item.non_member_price is None):
        errors["item"] = f"{item.name} has no member and non-member price yet: set them in the tariff first"
    if starts is None:
        errors["day"] = "Enter the date of the event"
    elif timezone.localtime(starts).date() < timezone.localdate():
        errors["day"] = "Choose a date from today onwards"
    if capacity is None or capacity < 1 or capacity > MAX_CAPACITY:
        errors["capacity"] = f"Enter the places as a whole number from 1 to {MAX_CAPACITY}"
    if places_per_school is not None and (places_per_school < 1 or (capacity and places_per_school > capacity)):
        errors["places_per_school"] = "Enter the places per school as at least 1 and no more than the event's places"
    forum = forum.strip()
    if forum and forum.casefold() not in {name.casefold() for name in forum_names(partnership)}:
        errors["forum"] = "Choose a forum that a plan gives places at, or none"
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        partnership=partnership,
        title=title.strip(),
        item=item,
        starts=starts,
        whole_day=whole_day,
        capacity=capacity,
        places_per_school=places_per_school,
        forum=forum,
        venue=venue.strip(),
        created_by=actor,
    )
    _audit(
        actor,
        event,
        AuditAction.EVENT_CREATED,
        f"{event.title} set up for {date_label(event.day)}: {_places(capacity)}",
    )
    return event


def _tell(rows, *, about: str, kind: str, template: str, subject: str, **context) -> None:
    """Email whoever booked each school's places (or put it on the waiting list), once each."""
    told = set()
    for row in rows:
        if row.booked_by.email.lower() in told:
            continue
        told.add(row.booked_by.email.lower())
        outbox_enqueue(
            about=about,
            kind=kind,
            recipient=row.booked_by.email,
            template=template,
            context={"user": row.booked_by, "row": row, **context},
            subject=subject,
        )


@transaction.atomic
def event_change(
    *,
    actor: User,
    event: Event,
    starts: datetime.datetime,
    venue: str,
    capacity: int,
) -> Event:
    """Move an event, change its venue or its places. The places cannot be fewer than those booked or
    held; a network event stays in its academic year (its credits came from that year's subscription).
    Every school with places is told by email of a new time or venue; more places go to the waiting list."""
    event = _lock(event)
    if event.status != Event.Status.OPEN:
        raise ValidationError("This event has been cancelled: it cannot be changed")
    errors = {}
    taken = places_taken(event)
    if starts is None:
        errors["day"] = "Enter the date of the event"
    elif timezone.localtime(starts).date() < timezone.localdate():
        errors["day"] = "Choose a date from today onwards"
    elif event.for_credits and academic_year_of(timezone.localtime(starts).date()) != academic_year_of(event.day):
        errors["day"] = (
            f"Choose a date in {academic_year_label(academic_year_of(event.day))}: the places were paid for "
            "with that year's credits"
        )
    if capacity is None or capacity < 1 or capacity > MAX_CAPACITY:
        errors["capacity"] = f"Enter the places as a whole number from 1 to {MAX_CAPACITY}"
    elif capacity < taken:
        errors["capacity"] = f"{_places(taken)} are booked or held, so the event cannot have fewer than {taken} places"
    if errors:
        raise ValidationError(errors)
    before = {"starts": event.starts, "venue": event.venue, "capacity": event.capacity}
    event.starts, event.venue, event.capacity = starts, venue.strip(), capacity
    changed = [name for name, value in before.items() if getattr(event, name) != value]
    if not changed:
        raise ValidationError("Nothing has changed: change the date, time, venue or places, or go back")
    event.save(update_fields=changed)
    words = {
        "starts": f"now {date_label(event.day)} at {timezone.localtime(event.starts):%H:%M}",
        "venue": f"venue now {event.venue or 'to be confirmed'}",
        "capacity": f"now {_places(event.capacity)}",
    }
    entry = _audit(
        actor,
        event,
        AuditAction.EVENT_CHANGED,
        f"{event.title} changed: " + "; ".join(words[name] for name in changed),
        changed={name: str(before[name]) for name in changed},
    )
    if {"starts", "venue"} & set(changed):
        rows = EventPlaces.objects.filter(taken_filter(), event=event).select_related("school", "booked_by")
        _tell(
            rows,
            about=f"event-changed:{event.pk}:{entry.pk}",
            kind="event.changed",
            template="subscriptions/email/event_changed",
            subject=f"{event.title} has changed",
            event=event,
            moved="starts" in changed,
            url=_event_url(event),
        )
    if event.capacity > before["capacity"]:
        _offer(actor, event)
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    """Call an event off. Every school booked has its credits back in full (not the plan's cut-off: the
    partnership cancelled), an open event's invoices are reversed in the ledger, the waiting list is
    closed and everyone with places or waiting is told by email. Nothing can be booked afterwards."""
    event = _lock(event)
    reason = (reason or "").strip()
    if event.status != Event.Status.OPEN:
        raise ValidationError("This event has already been cancelled")
    if not reason:
        raise ValidationError({"reason": "Enter why the event is cancelled"})
    if len(reason) > 150:
        raise ValidationError({"reason": "The reason must be 150 characters or fewer"})
    rows = list(
        EventPlaces.objects.select_for_update(of=("self",))
        .filter(event=event, status__in=(P.BOOKED, P.WAITING, P.OFFERED))
        .select_related("school", "booked_by", "subscription", "ledger_entry")
        .order_by("booked_at", "pk")
    )
    refunded = Decimal("0")
    reversed_ = Decimal("0")
    for row in rows:
        if row.status == P.BOOKED and row.credits and row.subscription_id:
            credit_append(
                subscription=row.subscription,
                kind=CreditEntry.Kind.REFUND,
                amount=row.credits,
                description=f"{event.title}, {date_label(event.day)}: cancelled by the partnership",
                recorded_by=actor,
            )
            refunded += row.credits
        if row.status == P.BOOKED and row.ledger_entry_id:
            try:
                ledger_entry_reverse(actor=actor, entry=row.ledger_entry, reason=f"{event.title} cancelled")
            except ValidationError as error:
                raise ValidationError(f"{row.who}'s invoice cannot be reversed: {' '.join(error.messages)}") from error
            reversed_ += row.ledger_entry.amount
    _tell(
        rows,
        about=f"event-cancelled:{event.pk}",
        kind="event.cancelled",
        template="subscriptions/email/event_cancelled",
        subject=f"{event.title} is cancelled",
        event=event,
        reason=reason,
    )
    EventPlaces.objects.filter(pk__in=[row.pk for row in rows]).update(status=P.CANCELLED, hold_until=None)
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    _audit(
        actor,
        event,
        AuditAction.EVENT_CANCELLED,
        f"{event.title} on {date_label(event.day)} cancelled: {reason}. {_n(refunded)} credits refunded, "
        f"£{reversed_} of invoices reversed, {len(rows)} schools and organisations told",
        reason=reason,
        refunded=str(refunded),
        reversed=str(reversed_),
    )
    return event
