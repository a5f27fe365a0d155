"""A partnership's governors' reports through a real worker on the real Redis broker (CI sets
REDIS_URL): the run fans out one task per school as a group, each counts the run's progress, and the
run finishes with every member school's report made once."""

import os

import pytest
from django_scopes import scope, scopes_disabled

from reports.models import GovernorsReport, ReportRun
from reports.services.governors import report_run_start
from tests.celery_worker.test_worker import _wait_for, worker  # noqa: F401  # the worker fixture
from tests.factories.accounts import signed_in
from tests.factories.partnerships import MembershipFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: the real-worker test needs Redis"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_a_run_generates_every_schools_report_with_its_progress_through_the_worker(tenant_a, worker):  # noqa: F811  # worker last: it starts after the fixtures
    with scopes_disabled():
        for _ in range(4):
            MembershipFactory(partnership=tenant_a.partnership)
    # The headteacher's dashboard, kept (core.freshness) before the run: no report yet.
    head = signed_in(tenant_a.headteacher)
    dashboard = f"/p/{tenant_a.slug}/"
    assert "Governors' reports" not in head.get(dashboard).content.decode()
    assert "Governors' reports" not in head.get(dashboard).content.decode()
    with scope(partnership=tenant_a.partnership):
        run = report_run_start(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, term="summer"
        )
    assert run.total == 6

    def finished():
        with scopes_disabled():
            return ReportRun.objects.get(pk=run.pk).status == ReportRun.Status.FINISHED

    assert _wait_for(finished), "the worker did not finish the run"
    with scopes_disabled():
        done = ReportRun.objects.get(pk=run.pk)
        assert (done.done, done.total) == (6, 6)
        reports = GovernorsReport.objects.filter(run=run)
        assert reports.count() == 6 and {r.version for r in reports} == {1}
        school = tenant_a.schools[0].name
    # The worker's writes, on its own connection, replaced the kept dashboard: the report shows.
    page = head.get(dashboard).content.decode()
    assert "Governors' reports" in page and f"{school}: Summer term 2025/26" in page
    # Asked again once it has finished: a new run, and each school's second version.
    with scope(partnership=tenant_a.partnership):
        again = report_run_start(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, term="summer"
        )
    assert again.pk != run.pk

    def finished_again():
        with scopes_disabled():
            return GovernorsReport.objects.filter(run=again).count() == 6

    assert _wait_for(finished_again)
    with scopes_disabled():
        assert GovernorsReport.objects.filter(partnership=tenant_a.partnership).count() == 12
