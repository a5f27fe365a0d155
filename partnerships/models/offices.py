from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager


class Election(models.Model):
    """The election of a chair or vice chair: when, who stood, how it was decided, who won."""

    class Office(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice chair"

    class Method(models.TextChoices):
        VOTES = "votes", "A vote"
        ACCLAMATION = "acclamation", "Acclamation (unopposed)"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    office = models.CharField(max_length=12, choices=Office.choices)
    held_on = models.DateField("Date of the election")
    term_starts = models.DateField()
    term_ends = models.DateField(help_text="The last day of the term of office")
    method = models.CharField(max_length=12, choices=Method.choices)
    elected = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The school the elected person leads",
    )
    role = models.OneToOneField(
        "partnerships.RoleAssignment", null=True, blank=True, on_delete=models.PROTECT, related_name="election"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-term_starts", "office"]
        constraints = [
            models.CheckConstraint(condition=Q(term_ends__gte=F("term_starts")), name="election_term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()} from {self.term_starts:%-d %B %Y}"


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ScopedManager(partnership="election__partnership")

    class Meta:
        ordering = ["-votes"]
        constraints = [models.UniqueConstraint(fields=["election", "user"], name="candidate_once_per_election")]

    def __str__(self) -> str:
        return str(self.user)
