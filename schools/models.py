from django.db import models


class School(models.Model):
    """A school on the shared register. What a partnership knows about it lives in tenant models."""

    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        INFANT = "infant", "Infant"
        JUNIOR = "junior", "Junior"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        PRU = "pru", "Pupil referral unit"

    urn = models.PositiveIntegerField("URN", unique=True, help_text="Unique reference number from the DfE")
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    type = models.CharField("type of establishment", max_length=100, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("act_for_school", "Can act for the school (headteacher or deputy)"),
            ("govern_school", "Can see the school's governor information"),
            ("advise_school", "Can work with the school as its adviser"),
        ]

    def __str__(self) -> str:
        return self.name
