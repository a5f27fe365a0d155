"""Places at events: what they cost, booking them (or joining the waiting list), cancelling them, and
the waiting list's offers of freed places; invoicing an open event's places.

What places cost is `places_cost`, and only there: a network event takes credits per attendee by the
tariff (subscriptions.selectors.tariff_credits), through the credit ledger, so only a subscribing school
can book one; an open event never takes credits, but a cash price a place, the member price for a
member school and the premium for everyone else. Counting places left takes the event's row lock
(`_lock`), so two bookings at the same moment cannot both take the last place. A place freed (cancelled,
declined, or an offer not taken in time) is offered to the first school waiting (`_offer`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from core.outbox import outbox_enqueue
from finance.models import FinancialYear, LedgerEntry
from finance.services.ledger import ledger_post
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import Membership, Partnership
from schools.models import School
from subscriptions.models import CreditEntry, Event, EventAttendee, EventPlaces, Subscription, TariffItem
from subscriptions.selectors import places_allowance, tariff_credits
from subscriptions.services.credits import credit_append

P = EventPlaces.Status
K = TariffItem.Kind


def _audit(actor, event: Event, action: AuditAction, summary: str, **data):
    return audit_record(
        subject=event,
        actor=actor,
        partnership=event.partnership,
        action=action,
        summary=summary,
        data={"event": event.pk, **data},
    )


def _n(credits: Decimal) -> str:
    return f"{credits.normalize():f}"


def _places(n: int) -> str:
    return f"{n} place{'' if n == 1 else 's'}"


def _event_url(event: Event) -> str:
    return settings.SITE_URL + reverse(
        "subscriptions:event", kwargs={"partnership_slug": event.partnership.slug, "event_pk": event.pk}
    )


def _names(text: str) -> list[str]:
    """The names in "who is coming": one a line, blank lines skipped."""
    return [line.strip()[:150] for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Quote:
    """What places would cost: credits (network events) or a cash price a place (open events)."""

    places: int
    credits: Decimal
    price: Decimal | None
    member: bool
    subscription: Subscription | None

    @property
    def amount(self) -> Decimal | None:
        return None if self.price is None else self.price * self.places


def _is_member(event: Event, school: School | None) -> bool:
    if school is None:
        return False
    return Membership.objects.filter(partnership_id=event.partnership_id, school=school).current(event.day).exists()


def places_cost(*, event: Event, school: School | None, places: int) -> Quote:
    """THE rule of what places cost. A network event: the tariff's credits for that many attendees, half
    or whole day, from the school's subscription for the event's academic year (no subscription, no
    booking: credits are what subscribers have). An open event: no credits; the member price a place for
    a member school, the non-member price for anyone else."""
    member = _is_member(event, school)
    if event.item.kind == K.NETWORK_EVENT:
        year = academic_year_of(event.day)
        subscription = (
            Subscription.objects.filter(partnership_id=event.partnership_id, school=school, year=year).first()
            if school
            else None
        )
        if subscription is None:
            who = school.name if school else "An organisation outside the partnership"
            raise ValidationError(
                {
                    "places": f"{who} does not subscribe for {academic_year_label(year)}: network events are "
                    "booked with credits, which only subscribing schools have"
                }
            )
        credits = tariff_credits(event.item, attendees=places, whole_day=event.whole_day)
        return Quote(places=places, credits=credits, price=None, member=member, subscription=subscription)
    price = event.item.member_price if member else event.item.non_member_price
    return Quote(places=places, credits=Decimal("0"), price=price, member=member, subscription=None)


def offer_hold() -> datetime.timedelta:
    """How long offered places are held for the school they are offered to (one setting)."""
    return datetime.timedelta(hours=settings.EVENT_OFFER_HOLD_HOURS)


def taken_filter(prefix: str = "") -> Q:
    """Places that count as taken: booked, or offered from the waiting list and still held. `prefix`
    reaches the places from another model ("places__" from an event)."""
    held = {f"{prefix}status": P.OFFERED, f"{prefix}hold_until__gt": timezone.now()}
    return Q(**{f"{prefix}status": P.BOOKED}) | Q(**held)


def places_taken(event: Event, *, school: School | None = None) -> int:
    """Places booked, and places held for a school offered them. Offers held for `school` itself are
    not counted: they are there for it to take."""
    rows = EventPlaces.objects.filter(taken_filter(), event=event)
    if school is not None:
        rows = rows.exclude(status=P.OFFERED, school=school)
    return rows.aggregate(n=Sum("places"))["n"] or 0


def places_check(
    *, event: Event, school: School | None, organisation: str = "", places: int | None, waiting: bool = False
) -> Quote:
    """Everything booking places must be, before anything is written: the booking page checks it to show
    the cost, and places_book again under the event's lock. With `waiting`, a full event is no refusal
    (the school joins the waiting list) but the per-school allowance still is."""
    errors = {}
    if event.status != Event.Status.OPEN:
        raise ValidationError("This event has been cancelled")
    if event.day < timezone.localdate():
        raise ValidationError("This event has passed: places can no longer be booked")
    if school is None and not organisation.strip():
        errors["school"] = "Choose the school, or enter the organisation's name"
    if school is None and organisation.strip() and event.for_credits:
        errors["organisation"] = "Network events are for subscribing schools: choose a school"
    if places is None or places < 1:
        errors["places"] = "Enter the number of places as 1 or more"
    if errors:
        raise ValidationError(errors)
    allowance = places_allowance(event, school)
    if school is not None and allowance is not None:
        held = (
            EventPlaces.objects.filter(event=event, school=school, status=P.BOOKED).aggregate(n=Sum("places"))["n"] or 0
        )
        if held + places > allowance:
            left = max(allowance - held, 0)
            raise ValidationError(
                {
                    "places": f"Each school may have {_places(allowance)} at {event.title}: "
                    f"{school.name} has {held}, so it may book {left} more"
                }
            )
    left = event.capacity - places_taken(event, school=school)
    if places > left and not waiting:
        raise ValidationError(
            {
                "places": f"{event.title} is full: join the waiting list"
                if left <= 0
                else f"There {'is' if left == 1 else 'are'} only {_places(left)} left at {event.title}: "
                "book fewer, or join the waiting list"
            }
        )
    return places_cost(event=event, school=school, places=places)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("item", "partnership").get(pk=event.pk)


@transaction.atomic
def places_book(
    *,
    actor: User,
    event: Event,
    school: School | None,
    places: int,
    organisation: str = "",
    attendees: str = "",
    waiting: bool = False,
) -> EventPlaces:
    """Book places for a school (or, at an open event, an organisation by name). A network event's
    credits are taken now; an open event's price is recorded a place. If the event is full and
    `waiting`, the school joins the waiting list instead (nothing is charged until it books)."""
    names = _names(attendees)
    if places and len(names) > places:
        who = "1 person" if places == 1 else f"{places} people"
        raise ValidationError({"attendees": f"Name at most {who} in who is coming, one a line: one for each place"})
    event = _lock(event)
    quote = places_check(event=event, school=school, organisation=organisation, places=places, waiting=waiting)
    full = places > event.capacity - places_taken(event, school=school)
    who = school.name if school else organisation.strip()
    row = EventPlaces.objects.create(
        event=event,
        school=school,
        organisation="" if school else organisation.strip(),
        places=places,
        attendees=attendees.strip(),
        member=quote.member,
        subscription=quote.subscription,
        credits=Decimal("0") if full else quote.credits,
        price=quote.price,
        status=P.WAITING if full else P.BOOKED,
        booked_by=actor,
    )
    if full:
        _audit(
            actor,
            event,
            AuditAction.EVENT_WAITING,
            f"{who} waits for {_places(places)} at {event.title}",
            places=row.pk,
        )
        return row
    _take(actor, event, row, quote, AuditAction.EVENT_PLACES_BOOKED, f"{who} booked {_places(places)}")
    return row


def _take(actor, event: Event, row: EventPlaces, quote: Quote, action: AuditAction, what: str) -> None:
    """Places become the school's (a booking, or an offer accepted): its credits are taken through the
    ledger, the register has a row for each place (named from "who is coming", one a line), the school
    leaves the waiting list (an offer it held goes to the next in line), audited."""
    names = _names(row.attendees)[: row.places]
    EventAttendee.objects.bulk_create(
        EventAttendee(places=row, position=n, name=names[n - 1] if n <= len(names) else "")
        for n in range(1, row.places + 1)
    )
    if quote.credits:
        credit_append(
            subscription=quote.subscription,
            kind=CreditEntry.Kind.BOOKING,
            amount=-quote.credits,
            description=f"{event.title}, {date_label(event.day)}: {_places(row.places)}",
            recorded_by=actor,
            field="places",
        )
    released = 0
    if row.school_id is not None:  # booking now takes the school off the waiting list
        others = EventPlaces.objects.filter(event=event, school_id=row.school_id, status__in=(P.WAITING, P.OFFERED))
        released = others.exclude(pk=row.pk).update(status=P.CANCELLED)
    cost = f"{_n(quote.credits)} credits" if event.for_credits else f"£{quote.amount} at £{quote.price} a place"
    _audit(
        actor,
        event,
        action,
        f"{what} at {event.title}: {cost}",
        places=row.pk,
        credits=str(quote.credits),
        price=str(quote.price) if quote.price is not None else None,
    )
    if released:
        _offer(actor, event)


def refund_due(row: EventPlaces, today: datetime.date | None = None) -> bool:
    """The plan's cancellation policy for credits: in full at least its cut-off before the day, none after."""
    if not row.credits or row.subscription is None:
        return False
    today = today or timezone.localdate()
    return (row.event.day - today).days >= row.subscription.plan.cancel_days


def _offer(actor: User | None, event: Event) -> list[EventPlaces]:
    """Offer freed places to the schools waiting, first in line first, each whose request fits what is
    left: the places are held for it for the offer's hold (offer_hold), and whoever put it on the list is
    told by email. Held places count as taken, so no one else can book them meanwhile."""
    left = event.capacity - places_taken(event)
    offered = []
    now = timezone.now()
    url = _event_url(event)
    while left > 0:
        first = (
            EventPlaces.objects.filter(event=event, status=P.WAITING, places__lte=left)
            .select_related("school", "booked_by")
            .order_by("booked_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status, first.offered_at, first.hold_until = P.OFFERED, now, now + offer_hold()
        first.save(update_fields=["status", "offered_at", "hold_until"])
        outbox_enqueue(
            about=f"event-places:{first.pk}",
            kind="event.place_offered",
            recipient=first.booked_by.email,
            template="subscriptions/email/place_offered",
            context={"user": first.booked_by, "row": first, "event": event, "url": url},
            subject=f"Places held for you at {event.title}",
        )
        _audit(
            actor,
            event,
            AuditAction.EVENT_PLACE_OFFERED,
            f"{_places(first.places)} at {event.title} offered to {first.who}, first on the waiting list, "
            f"held until {timezone.localtime(first.hold_until):%-d %B %Y %H:%M}",
            places=first.pk,
        )
        offered.append(first)
        left -= first.places
    return offered


def _offered_row(places: EventPlaces) -> tuple[Event, EventPlaces]:
    """The event (locked) and the offered row (locked), or why the offer cannot be answered."""
    event = _lock(places.event)
    row = (
        EventPlaces.objects.select_for_update(of=("self",))
        .select_related("school", "booked_by", "subscription__plan")
        .get(pk=places.pk)
    )
    row.event = event
    if row.status != P.OFFERED:
        raise ValidationError(f"No places are offered to {row.who} at {event.title}")
    if not row.held:
        raise ValidationError(
            f"The offer of places at {event.title} ended at "
            f"{timezone.localtime(row.hold_until):%H:%M on %-d %B}: they have gone to the next school waiting"
        )
    return event, row


@transaction.atomic
def places_offer_accept(*, actor: User, places: EventPlaces) -> EventPlaces:
    """The school offered freed places takes them while they are held: booked and charged as any booking."""
    event, row = _offered_row(places)
    row.status = P.WAITING  # its own hold is not counted against it (a refusal below undoes all this)
    row.save(update_fields=["status"])
    quote = places_check(event=event, school=row.school, organisation=row.organisation, places=row.places)
    row.status, row.hold_until = P.BOOKED, None
    row.credits, row.price, row.member, row.subscription = quote.credits, quote.price, quote.member, quote.subscription
    row.booked_at, row.booked_by = timezone.now(), actor
    row.save(
        update_fields=["status", "hold_until", "credits", "price", "member", "subscription", "booked_at", "booked_by"]
    )
    _take(
        actor, event, row, quote, AuditAction.EVENT_OFFER_ACCEPTED, f"{row.who} took the {_places(row.places)} offered"
    )
    return row


@transaction.atomic
def places_offer_decline(*, actor: User, places: EventPlaces) -> EventPlaces:
    """The school offered freed places does not want them: it leaves the list and they go to the next."""
    event, row = _offered_row(places)
    row.status, row.hold_until = P.CANCELLED, None
    row.save(update_fields=["status", "hold_until"])
    _audit(
        actor,
        event,
        AuditAction.EVENT_OFFER_DECLINED,
        f"{row.who} declined the {_places(row.places)} offered at {event.title}",
        places=row.pk,
    )
    _offer(actor, event)
    return row


def offers_expire(*, partnership: Partnership, now: datetime.datetime | None = None) -> int:
    """The system's hourly sweep: offers not taken within their hold lapse (the school leaves the list)
    and the places go to the next in line. Each event under its lock; idempotent. How many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    due = (
        EventPlaces.objects.filter(event__partnership=partnership, status=P.OFFERED, hold_until__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in sorted(set(due)):
        with transaction.atomic():
            event = _lock(Event(pk=event_id))
            rows = list(
                EventPlaces.objects.select_for_update(of=("self",))
                .filter(event=event, status=P.OFFERED, hold_until__lte=now)
                .select_related("school")
            )
            for row in rows:
                row.status = P.CANCELLED
                row.save(update_fields=["status"])
                _audit(
                    None,
                    event,
                    AuditAction.EVENT_OFFER_LAPSED,
                    f"{row.who} did not take the {_places(row.places)} offered at {event.title} in time",
                    places=row.pk,
                )
            lapsed += len(rows)
            _offer(None, event)
    return lapsed


@transaction.atomic
def places_cancel(*, actor: User, places: EventPlaces) -> EventPlaces:
    """Cancel places (or leave the waiting list). Credits come back per the plan's policy; freed places
    are offered to the first school waiting."""
    event = _lock(places.event)
    row = (
        EventPlaces.objects.select_for_update(of=("self",))
        .select_related("school", "subscription__plan")
        .get(pk=places.pk)
    )
    row.event = event
    if row.status == P.CANCELLED:
        raise ValidationError("These places are already cancelled")
    was_booked, was_offered = row.status == P.BOOKED, row.status == P.OFFERED
    refunded = was_booked and refund_due(row)
    if refunded:
        credit_append(
            subscription=row.subscription,
            kind=CreditEntry.Kind.REFUND,
            amount=row.credits,
            description=f"{event.title}, {date_label(event.day)}: {_places(row.places)} cancelled",
            recorded_by=actor,
        )
    row.status = P.CANCELLED
    row.save(update_fields=["status"])
    outcome = f", {_n(row.credits)} credits refunded" if refunded else ""
    _audit(
        actor,
        event,
        AuditAction.EVENT_PLACES_CANCELLED,
        f"{row.who} cancelled {_places(row.places)} at {event.title}"
        + (outcome if was_booked else " (off the waiting list)"),
        places=row.pk,
        refunded=refunded,
    )
    if was_booked or was_offered:
        _offer(actor, event)
    return row


@transaction.atomic
def places_invoice(*, actor: User, places: EventPlaces) -> EventPlaces:
    """Invoice an open event's places: the amount (places at the member or non-member price) is
    recorded as event income in the partnership's ledger, in the financial year open today. Where
    there is no banker school (EducationKingston) that ledger is the partnership's own account."""
    row = (
        EventPlaces.objects.select_for_update(of=("self",))
        .select_related("event__partnership", "school")
        .get(pk=places.pk)
    )
    event = row.event
    if row.price is None:
        raise ValidationError("Network event places are paid for in credits: there is nothing to invoice")
    if row.status != P.BOOKED:
        raise ValidationError(f"These places are {row.get_status_display().lower()}: there is nothing to invoice")
    if row.ledger_entry_id:
        raise ValidationError("These places have already been invoiced")
    today = timezone.localdate()
    year = FinancialYear.objects.filter(partnership=event.partnership, starts__lte=today, ends__gte=today).first()
    if year is None or not year.is_open:
        raise ValidationError(
            f"No financial year is open for {date_label(today)}: open it in Finance first, "
            "where the invoice is recorded as event income"
        )
    row.ledger_entry = ledger_post(
        year=year,
        kind=LedgerEntry.Kind.EVENT_INCOME,
        amount=row.amount,
        posted_on=today,
        description=f"{event.title}: {_places(row.places)} for {row.who} at £{row.price}",
        recorded_by=actor,
        school=row.school if row.member else None,
    )
    row.save(update_fields=["ledger_entry"])
    _audit(
        actor,
        event,
        AuditAction.EVENT_INVOICED,
        f"{row.who} invoiced £{row.amount} for {_places(row.places)} at {event.title}",
        places=row.pk,
        entry=row.ledger_entry.pk,
        amount=str(row.amount),
    )
    return row
