"""Who a school's headteacher names to book for the school: a colleague holding a role for the same
school, from a first day to an optional last day, until the headteacher withdraws it. Whether one is in
force is worked out on each request (subscriptions.selectors.delegated_school_ids), never stored: it
lapses with the headteacher's role or the colleague's."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

from core.dates import InForceQuerySet


class BookingDelegationQuerySet(InForceQuerySet):
    def live(self, on=None):
        """Not withdrawn, and its dates cover the day (today by default). The roles behind it are
        checked by the selector."""
        return self.in_force(on).filter(withdrawn_at__isnull=True)


class BookingDelegation(models.Model):
    """A headteacher lets a named colleague book adviser activities and event places for the school."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    start = models.DateField("First day")
    end = models.DateField("Last day", null=True, blank=True, help_text="The last day it is in force")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(
        partnership="partnership", _manager_class=models.Manager.from_queryset(BookingDelegationQuerySet)
    )

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="booking_delegation_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegate} books for {self.school}"
