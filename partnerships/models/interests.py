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
