"""The event pages (subscriptions/views/events.py). The matrix's school roles are held for
tenant.schools[1], whose places these makers return; rows are made with the ORM directly (that school
has left the partnership, see subscriptions.py)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from subscriptions.models import Event, EventAttendee, EventPlaces, TariffItem
from tests.security.registry.subscriptions import _ALL, _BOOKERS, _COORDINATOR, _SCHOOLS_OWN


def _event(tenant) -> Event:
    existing = Event.objects.filter(partnership=tenant.partnership, title="Matrix conference").first()
    if existing:
        return existing
    item, _ = TariffItem.objects.get_or_create(
        partnership=tenant.partnership,
        name="Matrix conference",
        defaults={
            "kind": TariffItem.Kind.OPEN_EVENT,
            "member_price": Decimal("95.00"),
            "non_member_price": Decimal("140.00"),
        },
    )
    return Event.objects.create(
        partnership=tenant.partnership,
        title="Matrix conference",
        item=item,
        starts=timezone.now() + datetime.timedelta(days=30),
        whole_day=True,
        capacity=100,
        created_by=tenant.coordinator,
    )


def _places(tenant) -> EventPlaces:
    event = _event(tenant)
    existing = EventPlaces.objects.filter(event=event).first()
    if existing:
        return existing
    places = EventPlaces.objects.create(
        event=event,
        school=tenant.schools[1],
        places=2,
        price=Decimal("95.00"),
        member=True,
        booked_by=tenant.coordinator,
    )
    EventAttendee.objects.bulk_create(EventAttendee(places=places, position=n) for n in (1, 2))
    return places


OBJECT_KWARGS = {
    "event_pk": lambda tenant: _event(tenant).pk,
    "places_pk": lambda tenant: _places(tenant).pk,
}

ALLOWED = {
    "subscriptions:events": _ALL,
    "subscriptions:event": _ALL,
    "subscriptions:events_export": _ALL,
    "subscriptions:event_export": _ALL,
    "subscriptions:event_new": _COORDINATOR,
    "subscriptions:event_book": _BOOKERS,
    "subscriptions:event_cancel": _BOOKERS,
    "subscriptions:event_attendance": _COORDINATOR,
    "subscriptions:event_invoice": _COORDINATOR,
    "subscriptions:event_change": _COORDINATOR,
    "subscriptions:event_call_off": _COORDINATOR,
    "subscriptions:event_offer_accept": _BOOKERS,
    "subscriptions:event_offer_decline": _BOOKERS,
    "subscriptions:event_names": _BOOKERS,
}

# A school's places are its own people's and the coordinator's: to anyone else they do not exist.
NOT_FOUND = {
    "subscriptions:event_cancel": _ALL - _SCHOOLS_OWN,
    "subscriptions:event_offer_accept": _ALL - _SCHOOLS_OWN,
    "subscriptions:event_offer_decline": _ALL - _SCHOOLS_OWN,
    "subscriptions:event_names": _ALL - _SCHOOLS_OWN,
}
