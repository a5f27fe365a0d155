"""The partnership agreement, in versions: each states its term, the schools it covers, its sections and
who signs it. A renewal or a change of terms is a new version; a published version is never edited."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

from core.files import get_private_storage


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


class AgreementCopy(models.Model):
    """One school's copy of a published version. Its blank signable PDF is made once, by a task after
    publishing, and kept: every signer sees, and signs the SHA-256 of, these same bytes. When the last
    signature is in, the signed copy is made and sealed; or the school signs on paper and uploads the
    scan, which the coordinator confirms."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting signatures"
        SCAN_UPLOADED = "scan_uploaded", "Signed on paper: awaiting the coordinator's check"
        SIGNED = "signed", "Signed"
        SIGNED_ON_PAPER = "signed_on_paper", "Signed on paper"
        VOID = "void", "Replaced by a later version before it was signed"

    COMPLETE = (Status.SIGNED, Status.SIGNED_ON_PAPER)

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="copies")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    identifier = models.CharField(max_length=20, unique=True, help_text="Printed in every footer; public")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    blank = models.FileField(storage=get_private_storage, upload_to="agreements", max_length=200)
    blank_sha256 = models.CharField(max_length=64)
    made_at = models.DateTimeField(default=timezone.now)
    signed = models.FileField(storage=get_private_storage, upload_to="agreements", max_length=200, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    scan = models.FileField(storage=get_private_storage, upload_to="agreements", max_length=200, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    scan_uploaded_at = models.DateTimeField(null=True, blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(partnership="version__partnership")

    class Meta:
        ordering = ["school__name"]
        constraints = [models.UniqueConstraint(fields=["version", "school"], name="agreement_copy_once")]

    def __str__(self) -> str:
        return f"{self.school} copy of {self.version}"

    @property
    def is_complete(self) -> bool:
        return self.status in self.COMPLETE


class AgreementSignature(models.Model):
    """A signature in the app: who signed which block of which copy, when, from where, how they proved
    who they were at that moment, and the SHA-256 of the blank copy they were shown. Voided, never
    deleted, when a later version replaces the copy before it is complete."""

    copy = models.ForeignKey(AgreementCopy, on_delete=models.PROTECT, related_name="signatures")
    block = models.ForeignKey(SignatureBlock, on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, help_text="The full name the signer typed")
    role_label = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    method = models.CharField(max_length=40, help_text="How they proved who they were when signing")
    document_sha256 = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(partnership="copy__version__partnership")

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy", "block"], condition=Q(voided_at__isnull=True), name="agreement_block_signed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role_label})"


class AgreementReminder(models.Model):
    """A reminder sent about a version, one row per person, kind and day: the reminders' tasks read these
    to keep to at most one a week per signatory, and one per person for each expiry warning."""

    class Kind(models.TextChoices):
        SIGN = "sign", "Please sign"
        EXPIRES_IN_3_MONTHS = "expires_3", "Ends in three months"
        EXPIRES_IN_1_MONTH = "expires_1", "Ends in one month"

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()

    objects = ScopedManager(partnership="version__partnership")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user", "kind", "day"], name="agreement_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} on {self.day}"
