"""A school's booking of an adviser's time against its credits."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from subscriptions.models.plans import Subscription, TariffItem


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        DONE = "done", "Done"

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="bookings")
    item = models.ForeignKey(TariffItem, on_delete=models.PROTECT, related_name="bookings")
    on = models.DateField("Date")
    hours = models.DecimalField("Hours in school", max_digits=3, decimal_places=1)
    report = models.BooleanField("A report written afterwards", default=False)
    credits = models.DecimalField(max_digits=6, decimal_places=1, help_text="What the booking took")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(default=timezone.now)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actual_hours = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    report_written = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="subscription__partnership")

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=Decimal("8")), name="booking_hours_a_day"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="booking_credits_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} on {self.on}"
