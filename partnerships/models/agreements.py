"""The partnership agreement, in versions: each states its term, the schools it covers, its sections and
who signs it. A renewal or a change of terms is a new version; a published version is never edited."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager


class AgreementVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(help_text="1, 2, ... within the partnership")
    title = models.CharField(max_length=200, default="Partnership agreement")
    starts = models.DateField(help_text="The first day in force")
    ends = models.DateField(null=True, blank=True, help_text="The last day in force; empty if it has no end")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    template = models.CharField(max_length=40, blank=True, help_text="The starting template it was drafted from")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="agreement_version_number_once"),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")), name="agreement_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class AgreementSection(models.Model):
    class Key(models.TextChoices):
        SCOPE_AND_MEMBERS = "scope_and_members", "Scope and members"
        PURPOSE_AND_PRINCIPLES = "purpose_and_principles", "Purpose and principles"
        AIMS = "aims", "Aims"
        STRATEGIC_MANAGEMENT = "strategic_management", "Strategic management"
        PARTICIPATION = "participation", "Participation"
        MONITORING_AND_EVALUATION = "monitoring_and_evaluation", "Monitoring and evaluation"
        FUNDING = "funding", "Funding"
        GOVERNORS = "governors", "Governors"
        TERM = "term", "Term"
        LEAVING = "leaving", "Leaving"

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40, choices=Key.choices)
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200)
    text = models.TextField(blank=True, help_text="Plain text: blank lines between paragraphs, '- ' for lists")

    objects = ScopedManager(partnership="version__partnership")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="agreement_section_once")]

    def __str__(self) -> str:
        return self.heading


class AgreementMember(models.Model):
    """A school the version covers: the members on the day it was published (drafts: kept up to date)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="members")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(partnership="version__partnership")

    class Meta:
        ordering = ["school__name"]
        constraints = [models.UniqueConstraint(fields=["version", "school"], name="agreement_member_once")]

    def __str__(self) -> str:
        return f"{self.school} under {self.version}"


class SignatureBlock(models.Model):
    """A place for a signature. A per-school kind stands for one block in each member school's copy."""

    class Kind(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher of each school"
        CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors of each school"
        PARTNERSHIP_CHAIR = "partnership_chair", "Chair of the partnership"
        OTHER = "other", "Another named party"

    PER_SCHOOL = (Kind.HEADTEACHER, Kind.CHAIR_OF_GOVERNORS)

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="signature_blocks")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    label = models.CharField(max_length=200, help_text="Who signs, as printed under the block")
    order = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(partnership="version__partnership")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="other") | ~Q(label=""), name="signature_block_other_is_named"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def per_school(self) -> bool:
        return self.kind in self.PER_SCHOOL
