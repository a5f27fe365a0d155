"""Generating governors' reports in the background: one task per school, fanned out as a group from a
run (reports.services.governors.report_run_start), each idempotent (a school's report is made once per run), each
counting the run's progress. Beat finds due work in the database: once a term has ended, every active
partnership's reports for it are generated once; a run left unfinished (a broker or worker down) has its
missing schools sent again."""

import datetime

from celery import group, shared_task
from django.utils import timezone

from config.celery import TenantTask
from partnerships.models import Partnership
from reports.models import GovernorsReport, ReportRun
from reports.selectors.governors import term_not_generated
from reports.services.governors import governors_report_generate, report_run_progress, report_run_start
from schools.models import School


@shared_task(base=TenantTask, bind=True)
def generate_governors_report(self, *, run_id: int, school_id: int, partnership_id: int) -> int:
    """One school's report within a run; returns the run's progress so far."""
    run = ReportRun.objects.select_related("partnership").get(pk=run_id)
    school = School.objects.get(pk=school_id)
    governors_report_generate(
        actor=run.started_by,
        partnership=run.partnership,
        school=school,
        academic_year=run.academic_year,
        term=run.term,
        run=run,
    )
    return report_run_progress(run=run).done


def dispatch_report_run(*, run_id: int, partnership_id: int, school_ids: list[int]) -> None:
    """Send one task per school, as one group (called once the run is committed)."""
    group(
        generate_governors_report.si(run_id=run_id, school_id=school_id, partnership_id=partnership_id)
        for school_id in school_ids
    ).apply_async()


@shared_task(base=TenantTask, bind=True)
def generate_due_reports(self, *, partnership_id: int) -> int:
    """The last term that has ended gets its run if it has none; an unfinished run's missing schools are
    sent again. Returns how many schools were sent."""
    partnership = Partnership.objects.get(pk=partnership_id)
    sent = 0
    due = term_not_generated(partnership, timezone.localdate())
    if due is not None:
        run = report_run_start(actor=None, partnership=partnership, academic_year=due.academic_year, term=due.name)
        sent += run.total
    for run in ReportRun.objects.filter(partnership=partnership, status=ReportRun.Status.RUNNING):
        made = set(GovernorsReport.objects.filter(run=run).values_list("school_id", flat=True))
        missing = [pk for pk in run.school_ids if pk not in made]
        if missing and run.started_at < timezone.now() - datetime.timedelta(minutes=10):
            dispatch_report_run(run_id=run.pk, partnership_id=partnership.pk, school_ids=missing)
            sent += len(missing)
        elif not missing:
            report_run_progress(run=run)
    return sent


@shared_task
def generate_due_reports_everywhere() -> int:
    """For celery beat, daily: one look for due reports per active partnership."""
    ids = list(Partnership.objects.filter(status=Partnership.Status.ACTIVE).values_list("pk", flat=True))
    for partnership_id in ids:
        generate_due_reports.delay(partnership_id=partnership_id)
    return len(ids)
