"""Demo data: last term's governors' report for every member school of every partnership, generated in
process through the services (a handful of queries a school, no PDF: the PDF is drawn from the report's
data when it is downloaded). Exeter Beacon's and Heart of Manchester's reach governors through their
headteachers, who comment and release them; the others email governors, and the demo sends no mail:
those messages are recorded as delivered. Exeter Beacon also has its annual partnership report for the
last complete academic year and for the current one so far (the demo's meetings, areas and money are
this year's). Loading twice changes nothing."""

from django.db.models import F
from django.utils import timezone

from core.models import OutboxMessage
from partnerships.calendar import academic_year_of
from partnerships.models import RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.terms import terms_for_years
from reports.models import AnnualReport, ReportRun, ReportSettings
from reports.selectors.annual import last_complete_year
from reports.services.annual import annual_report_generate
from reports.services.governors import (
    REPORT_READY_KIND,
    governors_report_generate,
    report_run_progress,
    report_run_start,
    report_settings_save,
    term_summary_save,
)
from schools.models import School

THROUGH_HEADTEACHERS = {"exeter-beacon", "heart-of-manchester"}

SUMMARY = {
    "priorities": "Raising attainment in reading at key stage 2, leadership development for middle leaders, "
    "and a shared approach to attendance.",
    "impact": "Every school took part in at least one development area; moderation across the partnership "
    "agreed writing judgements at the end of key stage 2, and two new middle leaders joined the programme.",
}


ANNUAL_REPORTS = {"exeter-beacon"}

PROGRESS = (
    "The strategy group reviewed the year against the partnership's aims at its summer meeting. Every school "
    "took part in at least three development areas; leadership development brought two new middle leaders "
    "into the succession programme, and shared moderation raised the consistency of writing judgements. "
    "Attendance at partnership meetings stayed high; the chair followed up each school not represented."
)


# The demo's records begin this academic year: the year before was reviewed on paper.
PROGRESS_BEFORE = (
    "The partnership began keeping its records here this year: its review of the year before was made on paper "
    "and reported to the annual planning meeting in July. The members at the start and end of the year are "
    "recorded below."
)


def _coordinator(partnership):
    return RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR).active().order_by("pk").first()


def load_annual(partnership, spec) -> None:
    """The annual report for the last complete academic year and the current one to date, once."""
    coordinator = _coordinator(partnership)
    if spec["slug"] not in ANNUAL_REPORTS or coordinator is None:
        return
    if AnnualReport.objects.filter(partnership=partnership).exists():
        return
    last = last_complete_year()
    for year, progress in ((last, PROGRESS_BEFORE), (last + 1, PROGRESS)):
        annual_report_generate(actor=coordinator.user, partnership=partnership, academic_year=year, progress=progress)


def load(partnership, spec, admin) -> None:
    load_annual(partnership, spec)
    today = timezone.localdate()
    year = academic_year_of(today)
    ended = [t for t in terms_for_years(partnership, year - 1, year) if t.ends < today]
    if not ended or ReportRun.objects.filter(partnership=partnership).exists():
        return
    last = ended[-1]
    coordinator = _coordinator(partnership)
    if coordinator is None:
        return
    actor = coordinator.user
    delivery = (
        ReportSettings.Delivery.HEADTEACHER_RELEASES
        if spec["slug"] in THROUGH_HEADTEACHERS
        else ReportSettings.Delivery.EMAIL_GOVERNORS
    )
    report_settings_save(actor=actor, partnership=partnership, delivery=delivery)
    term_summary_save(actor=actor, partnership=partnership, academic_year=last.academic_year, term=last.name, **SUMMARY)
    run = report_run_start(actor=actor, partnership=partnership, academic_year=last.academic_year, term=last.name)
    # Generated here, in process: the run's tasks, sent when the demo commits, find each report made.
    for school in School.objects.filter(pk__in=run.school_ids).order_by("name"):
        governors_report_generate(
            actor=actor,
            partnership=partnership,
            school=school,
            academic_year=last.academic_year,
            term=last.name,
            run=run,
        )
    report_run_progress(run=run)
    OutboxMessage.objects.filter(kind=REPORT_READY_KIND, state=OutboxMessage.State.QUEUED).update(
        state=OutboxMessage.State.SENT, attempts=1, sent_at=F("created_at")
    )
