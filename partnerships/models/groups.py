from django.db import models
from django.db.models import F, Q
from django_scopes import ScopedManager


class Group(models.Model):
    """A standing group or network, or a time-limited task group reporting to the strategic group."""

    class Kind(models.TextChoices):
        STANDING = "standing", "Standing group or network"
        TASK = "task", "Task group"

    class Chairing(models.TextChoices):
        DEPUTY_OF_CHAIRS_SCHOOL = "deputy_of_chairs_school", "The deputy headteacher of the partnership chair's school"
        HOST_SCHOOL = "host_school", "The representative of the school hosting the meeting"
        NAMED = "named", "A named person"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=150)
    remit = models.TextField(blank=True)
    chairing = models.CharField(max_length=30, choices=Chairing.choices, default=Chairing.NAMED)
    chair = models.ForeignKey(
        "schools.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Only when the group has a named chair",
    )
    host_school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the next meeting is held, when the host's representative chairs",
    )
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True, help_text="Task groups end; standing groups usually do not")
    reports_to = models.CharField(max_length=150, default="The strategic group")

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")), name="group_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("schools.Person", on_delete=models.PROTECT, related_name="group_memberships")

    objects = ScopedManager(partnership="group__partnership")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="member_once_per_group")]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"
