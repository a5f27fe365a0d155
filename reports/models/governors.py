"""Governors' termly reports: each one a snapshot of a school's term as it stood when it was generated,
kept with every earlier version; the run that generates a partnership's reports for a term, with its
progress; how a partnership's reports reach its governors; and the coordinator's words on the term."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from partnerships.calendar import TERM_LABELS, TERM_NAMES, academic_year_label

TERM_CHOICES = [(name, TERM_LABELS[name]) for name in TERM_NAMES]


class TermMixin:
    @property
    def term_label(self) -> str:
        """'Spring term 2026/27'."""
        return f"{TERM_LABELS[self.term]} term {academic_year_label(self.academic_year)}"


class ReportSettings(models.Model):
    """How the partnership's governors' reports reach governors: the one place this is set."""

    class Delivery(models.TextChoices):
        EMAIL_GOVERNORS = "email", "Governors are emailed a link as soon as the report is ready"
        HEADTEACHER_RELEASES = "headteacher", "The headteacher adds a comment and releases it to governors"

    partnership = models.OneToOneField("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    delivery = models.CharField(
        "How reports reach governors", max_length=12, choices=Delivery.choices, default=Delivery.EMAIL_GOVERNORS
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        verbose_name_plural = "report settings"

    def __str__(self) -> str:
        return self.get_delivery_display()


class TermSummary(TermMixin, models.Model):
    """The partnership's priorities and impact over a term, in the coordinator's words: every school's
    report for the term quotes it."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=6, choices=TERM_CHOICES)
    priorities = models.TextField("The partnership's priorities this term", blank=True)
    impact = models.TextField("The partnership's impact this term", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "academic_year", "term"], name="term_summary_once")
        ]

    def __str__(self) -> str:
        return f"Summary of the {self.term_label}"


class ReportRun(TermMixin, models.Model):
    """One generation of every member school's report for a term: one task per school, each adding to
    `done`, which the coordinator's page shows. A term has at most one run in progress; asking again
    while it runs joins it."""

    class Status(models.TextChoices):
        RUNNING = "running", "In progress"
        FINISHED = "finished", "Finished"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=6, choices=TERM_CHOICES)
    school_ids = models.JSONField(default=list, help_text="The schools whose reports this run generates")
    total = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "academic_year", "term"],
                condition=Q(status="running"),
                name="one_report_run_at_a_time",
            ),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="report_run_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"Reports for the {self.term_label}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


class GovernorsReport(TermMixin, models.Model):
    """One version of a school's report for a term: what the report said when it was generated (`data`,
    from reports.selectors.governors.governors_term; `data_sha256` its fingerprint). Generating again makes the
    next version and keeps this one."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=6, choices=TERM_CHOICES)
    version = models.PositiveIntegerField()
    run = models.ForeignKey(ReportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    data = models.JSONField()
    data_sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_comment = models.TextField("Headteacher's comment", blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-academic_year", "-term", "school__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school", "academic_year", "term", "version"], name="governors_report_version"
            ),
            models.UniqueConstraint(fields=["run", "school"], name="governors_report_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.term_label}, version {self.version}"

    @property
    def released(self) -> bool:
        return self.released_at is not None
