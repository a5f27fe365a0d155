from django.db import models
from django_scopes import ScopedManager


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class DevelopmentArea(models.Model):
    """A development area for one academic year, with its plan and the schools taking part."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    coordinator = models.ForeignKey(
        "schools.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The headteacher who coordinates this area",
    )
    objectives = models.TextField(blank=True)
    evaluation = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-academic_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "academic_year", "name"], name="area_name_once_per_year")
        ]

    def __str__(self) -> str:
        return self.name


class DevelopmentAction(models.Model):
    area = models.ForeignKey(DevelopmentArea, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey("schools.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)

    objects = ScopedManager(partnership="area__partnership")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.description


class DevelopmentMilestone(models.Model):
    area = models.ForeignKey(DevelopmentArea, on_delete=models.CASCADE, related_name="milestones")
    description = models.CharField(max_length=300)
    due = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)

    objects = ScopedManager(partnership="area__partnership")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.description


class AreaParticipation(models.Model):
    """A school taking part in a development area, with its named lead person."""

    area = models.ForeignKey(DevelopmentArea, on_delete=models.CASCADE, related_name="participations")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey("schools.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(partnership="area__partnership")

    class Meta:
        ordering = ["school__name"]
        constraints = [models.UniqueConstraint(fields=["area", "school"], name="school_once_per_area")]

    def __str__(self) -> str:
        return f"{self.school} in {self.area}"
