from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django_scopes import ScopedManager


class StrategyRota(models.Model):
    """Which headteachers represent the schools on the strategy group in one term."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("partnerships.Term", on_delete=models.PROTECT, related_name="rotas")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phase_reason = models.TextField(
        "Why the group has no primary or no secondary school",
        blank=True,
        help_text="Recorded by the coordinator who confirmed a rota that the agreement's phase rule would refuse",
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["term__starts"]
        constraints = [models.UniqueConstraint(fields=["partnership", "term"], name="one_rota_per_term")]

    def __str__(self) -> str:
        return f"Strategy group rota, {self.term}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RotaSeat(models.Model):
    """One headteacher seat: the representative's school and its reserve, who represents next term."""

    rota = models.ForeignKey(StrategyRota, on_delete=models.CASCADE, related_name="seats")
    seat = models.PositiveSmallIntegerField()
    representative = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    reserve = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A deputy who attends in the headteacher's place",
    )

    objects = ScopedManager(partnership="rota__partnership")

    class Meta:
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "seat"], name="seat_once_per_rota"),
            models.CheckConstraint(condition=~Q(representative=F("reserve")), name="reserve_is_not_representative"),
        ]

    def __str__(self) -> str:
        return f"Seat {self.seat}: {self.representative}"
