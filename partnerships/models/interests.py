from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


class InterestDeclaration(models.Model):
    """A person's yearly declaration of pecuniary and other interests (or that they have none)."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_on = models.DateField(default=timezone.localdate)
    nothing_to_declare = models.BooleanField(default=False)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-declared_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "user", "declared_on"])]

    def __str__(self) -> str:
        return f"Declaration by {self.user} on {self.declared_on}"


class Interest(models.Model):
    class Kind(models.TextChoices):
        PECUNIARY = "pecuniary", "Pecuniary (financial)"
        OTHER = "other", "Other (for example a family link or another role)"

    declaration = models.ForeignKey(InterestDeclaration, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=300)

    objects = ScopedManager(partnership="declaration__partnership")

    def __str__(self) -> str:
        return self.description


class InterestReminder(models.Model):
    """One reminder to declare interests, emailed to one person on one day.

    The reminder task's once-a-day guarantee: the row is written in the transaction that sends the
    email, so a failed send leaves none and is tried again, and a second run the same day finds the
    row (or meets the constraint) and sends nothing. The audit log records reminders too, but only as
    history; nothing reads it to decide.
    """

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()

    objects = ScopedManager(partnership="partnership")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user", "day"], name="one_interest_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} reminded on {self.day}"
