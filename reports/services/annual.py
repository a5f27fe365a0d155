"""The annual partnership report: generating the partnership's report for an academic year (a new
version each time, the old ones kept). One atomic, audited function."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.calendar import academic_year_label
from partnerships.models import Partnership
from reports.models import AnnualReport
from reports.selectors.annual import annual_year, reportable_year, year_to_json
from reports.selectors.governors import json_sha256


def annual_report_generate(
    *,
    actor: User,
    partnership: Partnership,
    academic_year: int,
    progress: str = "",
    today: datetime.date | None = None,
) -> AnnualReport:
    """The partnership's report for the academic year as things stand now, with the coordinator's words
    on its progress against its aims: the next version (earlier ones are kept). A year that has not
    begun is refused; the current year is reported to date."""
    today = today or timezone.localdate()
    if not reportable_year(academic_year, today):
        raise ValidationError(f"The academic year {academic_year_label(academic_year)} has not begun")
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=partnership.pk)  # versions are numbered one after another
        gathered = annual_year(partnership, academic_year, progress=progress, today=today)
        data = year_to_json(gathered)
        last = AnnualReport.objects.filter(partnership=partnership, academic_year=academic_year).aggregate(
            last=Max("version")
        )["last"]
        report = AnnualReport.objects.create(
            partnership=partnership,
            academic_year=academic_year,
            version=(last or 0) + 1,
            data=data,
            data_sha256=json_sha256(data),
            generated_at=timezone.now(),
            generated_by=actor,
        )
        audit_record(
            subject=report,
            actor=actor,
            action=AuditAction.ANNUAL_REPORT_GENERATED,
            partnership=partnership,
            summary=f"The annual partnership report for {gathered.year_label} generated (version {report.version})",
            data={"report": report.pk, "version": report.version, "sha256": report.data_sha256},
        )
    return report
