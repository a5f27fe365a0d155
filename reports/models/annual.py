"""The annual partnership report: each version a snapshot of the partnership's academic year as it
stood when the coordinator generated it, kept with every earlier version, since a report to governing
bodies is a record of what they were told."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from partnerships.calendar import academic_year_label


class AnnualReport(models.Model):
    """One version of the partnership's report for an academic year: what it said when generated
    (`data`, from reports.selectors.annual.annual_year; `data_sha256` its fingerprint). Generating
    again makes the next version and keeps this one."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField()
    data = models.JSONField()
    data_sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-academic_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "academic_year", "version"], name="annual_report_version")
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year_label}, version {self.version}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)
