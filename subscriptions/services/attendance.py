"""Who comes to an event: the names a school gives for its places, and the coordinator's register of
who came on the day (a booking's attendance is the count of its ticks)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction
from accounts.models import User
from core.dates import date_label
from subscriptions.models import Event, EventAttendee, EventPlaces
from subscriptions.services.places import P, _audit, _lock, _places


@transaction.atomic
def attendees_name(*, actor: User, places: EventPlaces, names: list[str]) -> EventPlaces:
    """Name who will use each of a school's places (in place order; an empty name leaves the place
    unnamed), any time until the day of the event."""
    event = _lock(places.event)
    row = EventPlaces.objects.select_for_update(of=("self",)).select_related("school").get(pk=places.pk)
    if event.status != Event.Status.OPEN or row.status != P.BOOKED:
        raise ValidationError("Only places booked at an event still to come can be named")
    if event.day < timezone.localdate():
        raise ValidationError("The event has passed: its register is the coordinator's now")
    register = list(EventAttendee.objects.filter(places=row).order_by("position"))
    if len(names) != len(register):
        raise ValidationError("Name each of the places booked")
    errors = {
        f"name_{seat.position}": f"Enter the name for place {seat.position} in 150 characters or fewer"
        for seat, name in zip(register, names, strict=True)
        if len((name or "").strip()) > 150
    }
    if errors:
        raise ValidationError(errors)
    for seat, name in zip(register, names, strict=True):
        seat.name = (name or "").strip()
    EventAttendee.objects.bulk_update(register, ["name"])
    named = [seat.name for seat in register if seat.name]
    _audit(
        actor,
        event,
        AuditAction.EVENT_ATTENDEES_NAMED,
        f"{row.who}'s {_places(row.places)} at {event.title}: {', '.join(named) or 'no names yet'}",
        places=row.pk,
    )
    row.event = event
    return row


@transaction.atomic
def attendance_record(*, actor: User, event: Event, came: set[int]) -> Event:
    """The register, taken on the day: who came (the ids of the register's rows ticked); everyone else
    on it did not. Each booking's `attended` becomes the count of its ticked rows, here and only here."""
    event = _lock(event)
    if event.status != Event.Status.OPEN:
        raise ValidationError("This event has been cancelled")
    if event.day > timezone.localdate():
        raise ValidationError(f"Attendance is taken on the day of the event ({date_label(event.day)}) or after")
    register = list(EventAttendee.objects.filter(places__event=event, places__status=P.BOOKED).select_related("places"))
    if set(came) - {seat.pk for seat in register}:
        raise ValidationError("Those people are not on this event's register")
    counts: dict[int, int] = {}
    for seat in register:
        seat.came = seat.pk in came
        counts[seat.places_id] = counts.get(seat.places_id, 0) + seat.came
    EventAttendee.objects.bulk_update(register, ["came"])
    bookings = {seat.places_id: seat.places for seat in register}
    for pk, count in counts.items():
        bookings[pk].attended = count
    EventPlaces.objects.bulk_update(bookings.values(), ["attended"])
    _audit(
        actor,
        event,
        AuditAction.EVENT_ATTENDANCE_RECORDED,
        f"Attendance at {event.title} recorded: {len(came)} of {len(register)} came",
        attended={str(pk): count for pk, count in counts.items()},
    )
    return event
