"""Events with places: a network event paid for in credits per attendee, or an open event or conference
paid for in cash per place (members at the member price, everyone else at the premium). Each school's
places are a row; a school that could not get places waits in line on the same table (status
"waiting"), and a freed place is offered to the first in line."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from subscriptions.models.plans import Subscription, TariffItem


class Event(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open for booking"
        CANCELLED = "cancelled", "Cancelled"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    item = models.ForeignKey(
        TariffItem, on_delete=models.PROTECT, related_name="events", help_text="The tariff line it is charged by"
    )
    starts = models.DateTimeField()
    whole_day = models.BooleanField(default=False, help_text="Longer than half a day: the whole-day rate")
    capacity = models.PositiveIntegerField("Places", help_text="How many people it can take")
    places_per_school = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most places one school may have, where its plan sets none for the event's forum",
    )
    forum = models.CharField(
        max_length=120,
        blank=True,
        help_text="The plans' forum this event is (their places per school apply), or empty",
    )
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(places_per_school__isnull=True) | Q(places_per_school__gt=0),
                name="event_places_per_school_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def day(self):
        return timezone.localtime(self.starts).date()

    @property
    def for_credits(self) -> bool:
        return self.item.kind == TariffItem.Kind.NETWORK_EVENT


class EventPlaces(models.Model):
    """A school's places at an event (or, for an open event, an organisation that is not a member,
    recorded by the coordinator by name), what they cost, and who came."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"
        OFFERED = "offered", "Offered freed places, held until a time"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="places")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.CharField(
        max_length=200, blank=True, help_text="For an open event: who, when it is not a school of the partnership"
    )
    places = models.PositiveSmallIntegerField()
    attendees = models.TextField("Who is coming", blank=True)
    member = models.BooleanField(default=False, help_text="A member school of the partnership when it booked")
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="event_places"
    )
    credits = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    price = models.DecimalField(
        "Price a place (£)", max_digits=8, decimal_places=2, null=True, blank=True, help_text="Open events only"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(default=timezone.now)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(null=True, blank=True, help_text="When a freed place was offered")
    hold_until = models.DateTimeField(
        null=True, blank=True, help_text="Offered places are held for the school until then (EVENT_OFFER_HOLD_HOURS)"
    )
    attended = models.PositiveSmallIntegerField(null=True, blank=True)
    ledger_entry = models.ForeignKey(
        "finance.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The invoice for an open event's places, recorded as event income in the partnership's ledger",
    )

    objects = ScopedManager(partnership="event__partnership")

    class Meta:
        ordering = ["booked_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gt=0), name="event_places_positive"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="event_places_credits_not_negative"),
            models.CheckConstraint(
                condition=Q(school__isnull=False) | ~Q(organisation=""), name="event_places_for_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.places} at {self.event}"

    @property
    def who(self) -> str:
        return self.school.name if self.school_id else self.organisation

    @property
    def amount(self) -> Decimal | None:
        return None if self.price is None else self.price * self.places

    @property
    def held(self) -> bool:
        """Offered places still held for the school (after hold_until the offer has lapsed)."""
        return self.status == self.Status.OFFERED and self.hold_until is not None and self.hold_until > timezone.now()


class EventAttendee(models.Model):
    """One place of a school's booking on the register: who will use it (a name the school may give
    until the day) and whether they came, ticked by the coordinator on the day. A booking's `attended`
    is the count of its ticked rows, kept by subscriptions.services.attendance.attendance_record."""

    places = models.ForeignKey(EventPlaces, on_delete=models.CASCADE, related_name="register")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150, blank=True)
    came = models.BooleanField(default=False)

    objects = ScopedManager(partnership="places__event__partnership")

    class Meta:
        ordering = ["places", "position"]
        constraints = [models.UniqueConstraint(fields=["places", "position"], name="event_attendee_place_once")]

    def __str__(self) -> str:
        return self.name or f"Place {self.position}"
