"""The credit ledger: every grant, booking, refund, adjustment and lapse is an entry, never changed.

Entries are numbered in sequence within their subscription and each stores the balance after it, so
the balance is the last entry's (and equals the sum of all of them). The database holds the two rules
that make overspending impossible whatever the code does: a sequence number is used once per
subscription, and no balance after an entry is below nothing. A booking takes the subscription's row
lock, reads the last entry and appends the next, so two bookings at the same moment wait in turn.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from subscriptions.models.plans import Subscription


class CreditEntry(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", "Credits for the year"
        CARRIED = "carried", "Carried over from last year"
        BOOKING = "booking", "Booked"
        REFUND = "refund", "Refunded on cancellation"
        ADJUSTMENT = "adjustment", "Adjusted to the actual time"
        LAPSE = "lapse", "Lapsed at the end of the year"

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="credit_entries")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(max_digits=7, decimal_places=1, help_text="Credits in (+) or out (-)")
    balance_after = models.DecimalField(max_digits=7, decimal_places=1)
    booking = models.ForeignKey(
        "subscriptions.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_entries"
    )
    description = models.CharField(max_length=250)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="subscription__partnership")

    class Meta:
        ordering = ["subscription", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "sequence"], name="credit_entry_sequence_once"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="credit_balance_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} credits"
