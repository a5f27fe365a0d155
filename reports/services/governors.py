"""Governors' reports: generating a school's report for a term (a new version each time, the old ones
kept), the run that generates every member school's, releasing a report to governors, and the
partnership's settings and words for the term. Each use case is one atomic, audited function."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.outbox import outbox_enqueue
from partnerships.models import Partnership
from partnerships.selectors.members import member_school_ids_between
from partnerships.selectors.terms import term_label
from reports.models import GovernorsReport, ReportRun, ReportSettings, TermSummary
from reports.selectors.governors import (
    governors_term,
    json_sha256,
    report_readers,
    report_settings_of,
    term_of,
    term_to_json,
)
from schools.models import School

REPORT_READY_KIND = "reports.governors_report"


def _term_or_refuse(partnership: Partnership, academic_year: int, term: str):
    found = term_of(partnership, academic_year, term)
    if found is None:
        raise ValidationError({"term": "Choose a term"})
    return found


def governors_report_generate(
    *,
    actor: User | None,
    partnership: Partnership,
    school: School,
    academic_year: int,
    term: str,
    run: ReportRun | None = None,
) -> GovernorsReport:
    """The school's report for the term as things stand now: the next version (earlier ones are kept).
    Within a run, once per school: a task delivered twice finds the report it made. `actor` is None
    when beat generated it."""
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)  # versions are numbered one after another
        if run is not None:
            existing = GovernorsReport.objects.filter(run=run, school=school).first()
            if existing is not None:
                return existing
        gathered = governors_term(partnership, school, academic_year, term)
        data = term_to_json(gathered)
        last = GovernorsReport.objects.filter(
            partnership=partnership, school=school, academic_year=academic_year, term=term
        ).aggregate(last=Max("version"))["last"]
        now = timezone.now()
        by_email = report_settings_of(partnership).delivery == ReportSettings.Delivery.EMAIL_GOVERNORS
        report = GovernorsReport.objects.create(
            partnership=partnership,
            school=school,
            academic_year=academic_year,
            term=term,
            version=(last or 0) + 1,
            run=run,
            data=data,
            data_sha256=json_sha256(data),
            generated_at=now,
            generated_by=actor,
            released_at=now if by_email else None,
        )
        audit_record(
            subject=report,
            actor=actor,
            action=AuditAction.GOVERNORS_REPORT_GENERATED,
            partnership=partnership,
            summary=f"{school.name}'s governors' report for the {gathered.term_label} generated "
            f"(version {report.version})",
            data={"report": report.pk, "school": school.pk, "version": report.version, "sha256": report.data_sha256},
        )
        if by_email:
            _tell_governors(report, gathered.term_label)
    return report


def _tell_governors(report: GovernorsReport, label: str) -> int:
    """Email the school's governors a link to the report (the outbox: once per reader and version)."""
    partnership = report.partnership
    url = settings.SITE_URL + reverse(
        "reports:report", kwargs={"partnership_slug": partnership.slug, "governors_report_pk": report.pk}
    )
    readers = report_readers(partnership, report.school, timezone.localdate())
    for recipient in readers:
        outbox_enqueue(
            about=f"governors-report:{report.school_id}:{report.academic_year}:{report.term}",
            kind=REPORT_READY_KIND,
            version=report.version,
            recipient=recipient,
            subject=f"{report.school.name}'s report from {partnership.name}: {label}",
            template="reports/email/report_ready",
            context={"report": report, "partnership": partnership, "label": label, "url": url},
        )
    return len(readers)


def governors_report_release(*, actor: User, report: GovernorsReport, comment: str) -> GovernorsReport:
    """The headteacher's comment, and the report released to the school's governors, who are emailed."""
    with transaction.atomic():
        locked = GovernorsReport.objects.select_for_update().select_related("school", "partnership").get(pk=report.pk)
        if locked.released_at is not None:
            raise ValidationError({"comment": "This report has already been released to governors"})
        locked.head_comment = comment.strip()
        locked.released_at = timezone.now()
        locked.released_by = actor
        locked.save(update_fields=["head_comment", "released_at", "released_by"])
        label = locked.term_label
        audit_record(
            subject=locked,
            actor=actor,
            action=AuditAction.GOVERNORS_REPORT_RELEASED,
            partnership=locked.partnership,
            summary=f"{locked.school.name}'s governors' report for the {label} (version {locked.version}) "
            "released to governors",
            data={"report": locked.pk, "comment": locked.head_comment},
        )
        _tell_governors(locked, label)
    return locked


def report_run_start(
    *, actor: User | None, partnership: Partnership, academic_year: int, term: str, today: datetime.date | None = None
) -> ReportRun:
    """Generate every member school's report for the term, one task per school, with progress. While a
    run for the term is in progress, asking again joins it. A term not yet over is refused."""
    found = _term_or_refuse(partnership, academic_year, term)
    today = today or timezone.localdate()
    if found.starts > today:
        raise ValidationError({"term": f"The {term_label(found)} has not started yet"})
    with transaction.atomic():
        running = (
            ReportRun.objects.select_for_update()
            .filter(partnership=partnership, academic_year=academic_year, term=term, status=ReportRun.Status.RUNNING)
            .first()
        )
        if running is not None:
            return running
        school_ids = member_school_ids_between(partnership, found.starts, min(found.ends, today))
        run = ReportRun.objects.create(
            partnership=partnership,
            academic_year=academic_year,
            term=term,
            school_ids=school_ids,
            total=len(school_ids),
            started_by=actor,
            status=ReportRun.Status.RUNNING if school_ids else ReportRun.Status.FINISHED,
            finished_at=None if school_ids else timezone.now(),
        )
        audit_record(
            subject=run,
            actor=actor,
            action=AuditAction.REPORT_RUN_STARTED,
            partnership=partnership,
            summary=f"Governors' reports for the {term_label(found)} started for {len(school_ids)} schools",
            data={"run": run.pk, "schools": school_ids},
        )
        if school_ids:
            transaction.on_commit(lambda: _dispatch(run.pk, partnership.pk, school_ids))
    return run


def _dispatch(run_id: int, partnership_id: int, school_ids: list[int]) -> None:
    from reports.tasks import dispatch_report_run

    dispatch_report_run(run_id=run_id, partnership_id=partnership_id, school_ids=school_ids)


def report_run_progress(*, run: ReportRun) -> ReportRun:
    """Count the run's reports made so far; the run is finished once every school's is. Idempotent."""
    with transaction.atomic():
        locked = ReportRun.objects.select_for_update().get(pk=run.pk)
        locked.done = min(GovernorsReport.objects.filter(run=locked).count(), locked.total)
        if locked.done >= locked.total and locked.status == ReportRun.Status.RUNNING:
            locked.status = ReportRun.Status.FINISHED
            locked.finished_at = timezone.now()
        locked.save(update_fields=["done", "status", "finished_at"])
    return locked


def report_settings_save(*, actor: User, partnership: Partnership, delivery: str) -> ReportSettings:
    """How the partnership's reports reach governors."""
    with transaction.atomic():
        current, _ = ReportSettings.objects.select_for_update().get_or_create(partnership=partnership)
        before = current.delivery
        current.delivery = delivery
        current.updated_at = timezone.now()
        current.save(update_fields=["delivery", "updated_at"])
        audit_record(
            subject=current,
            actor=actor,
            action=AuditAction.REPORT_SETTINGS_CHANGED,
            partnership=partnership,
            summary=f"Governors' reports: {current.get_delivery_display()}",
            data={"before": before, "after": delivery},
        )
    return current


def term_summary_save(
    *, actor: User, partnership: Partnership, academic_year: int, term: str, priorities: str, impact: str
) -> TermSummary:
    """The partnership's priorities and impact for the term, which every school's next report quotes."""
    found = _term_or_refuse(partnership, academic_year, term)
    with transaction.atomic():
        summary, _ = TermSummary.objects.select_for_update().get_or_create(
            partnership=partnership,
            academic_year=academic_year,
            term=term,
            defaults={"updated_by": actor},
        )
        summary.priorities = priorities.strip()
        summary.impact = impact.strip()
        summary.updated_by = actor
        summary.updated_at = timezone.now()
        summary.save()
        audit_record(
            subject=summary,
            actor=actor,
            action=AuditAction.TERM_SUMMARY_SAVED,
            partnership=partnership,
            summary=f"The partnership's priorities and impact for the {term_label(found)} saved",
            data={"summary": summary.pk},
        )
    return summary
