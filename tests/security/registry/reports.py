"""The governors' reports pages (reports/urls.py). The matrix's school roles are held for
tenant.schools[1], whose released report and run these makers return (made directly: it has left)."""

from django.utils import timezone

from partnerships.roles import Role
from reports.models import GovernorsReport, ReportRun

_ALL = set(Role)
_COORDINATOR = {Role.COORDINATOR}
# A school's reports are read by its headteacher and governors, and by the coordinator.
_READERS = _COORDINATOR | {Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR}


def _run(tenant) -> ReportRun:
    existing = ReportRun.objects.filter(partnership=tenant.partnership).first()
    return existing or ReportRun.objects.create(
        partnership=tenant.partnership,
        academic_year=2025,
        term="summer",
        school_ids=[tenant.schools[1].pk],
        total=1,
        status=ReportRun.Status.FINISHED,
    )


def _report(tenant) -> GovernorsReport:
    existing = GovernorsReport.objects.filter(partnership=tenant.partnership, school=tenant.schools[1]).first()
    return existing or GovernorsReport.objects.create(
        partnership=tenant.partnership,
        school=tenant.schools[1],
        academic_year=2025,
        term="summer",
        version=1,
        data=_data(tenant),
        data_sha256="0" * 64,
        released_at=timezone.now(),
    )


def _data(tenant) -> dict:
    from django_scopes import scope

    from reports.selectors.governors import governors_term, term_to_json

    # The first school's term (a member throughout): what the report says does not matter here, only whose it is.
    with scope(partnership=tenant.partnership):
        return term_to_json(governors_term(tenant.partnership, tenant.schools[0], 2025, "summer"))


def _annual_year(tenant) -> int:
    """2025/26, a year whose annual report has been generated (so its PDF is there to download)."""
    from reports.models import AnnualReport

    if not AnnualReport.objects.filter(partnership=tenant.partnership, academic_year=2025).exists():
        AnnualReport.objects.create(
            partnership=tenant.partnership,
            academic_year=2025,
            version=1,
            data=_annual_data(tenant),
            data_sha256="0" * 64,
        )
    return 2025


def _annual_data(tenant) -> dict:
    from django_scopes import scope

    from reports.selectors.annual import annual_year, year_to_json

    with scope(partnership=tenant.partnership):
        return year_to_json(annual_year(tenant.partnership, 2025))


OBJECT_KWARGS = {
    "academic_year": _annual_year,
    "term": lambda tenant: "summer",
    "report_run_pk": lambda tenant: _run(tenant).pk,
    "governors_report_pk": lambda tenant: _report(tenant).pk,
}
PLAIN_KWARGS = {"academic_year": "a term's academic year, no object", "term": "a term's name, no object"}

ALLOWED = {
    "reports:index": _READERS,
    "reports:index_export": _READERS,  # each reader's file holds the reports their page lists
    "reports:settings": _COORDINATOR,
    "reports:term": _COORDINATOR,
    "reports:generate": _COORDINATOR,
    "reports:summary": _COORDINATOR,
    "reports:run": _COORDINATOR,
    "reports:report": _READERS,
    "reports:pdf": _READERS,
    "reports:release": {Role.HEADTEACHER},
    # The annual partnership report goes to every member school's governing body: its headteachers and
    # governors read it; the coordinator generates it.
    "reports:annual": _READERS,
    "reports:annual_pdf": _READERS,
    "reports:annual_generate": _COORDINATOR,
}

# To anyone who does not read the school's reports, a report does not exist.
NOT_FOUND = {name: _ALL - _READERS for name in ("reports:report", "reports:pdf", "reports:release")}
