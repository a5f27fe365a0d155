"""Subscriptions and credits, one module per concept. Credits are Decimal (halves of a credit, from
half-hours), never float; every balance is the last entry of an append-only ledger."""

from subscriptions.models.bookings import Booking
from subscriptions.models.credits import CreditEntry
from subscriptions.models.delegations import BookingDelegation
from subscriptions.models.events import Event, EventAttendee, EventPlaces
from subscriptions.models.pep import CpdRecord, PanelMember, PepMilestone, PepOutcome, PepPlan, SupportDay
from subscriptions.models.plans import Plan, PlanForum, Subscription, TariffItem
from subscriptions.models.visits import Review, ReviewEvent, Visit, VisitView

__all__ = [
    "Booking",
    "BookingDelegation",
    "CpdRecord",
    "CreditEntry",
    "Event",
    "EventAttendee",
    "EventPlaces",
    "PanelMember",
    "PepMilestone",
    "PepOutcome",
    "PepPlan",
    "Plan",
    "PlanForum",
    "Review",
    "ReviewEvent",
    "Subscription",
    "SupportDay",
    "TariffItem",
    "Visit",
    "VisitView",
]
