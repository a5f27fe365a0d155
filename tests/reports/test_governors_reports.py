"""Governors' termly reports: every figure equals the records it comes from (also after a late payment
and a regeneration, which keeps the old version), a governor reads only their own school's released
reports (page and PDF), the PDF renders and reads back, and bad input is refused or reported clearly."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from finance.models import Payment
from finance.services.contributions import payment_record
from meetings.models import Attendance, Meeting
from partnerships.models import Membership
from partnerships.roles import Role
from reports.models import GovernorsReport, ReportRun, ReportSettings
from reports.selectors.governors import governors_term, term_from_json
from reports.services.governors import governors_report_generate, governors_report_release, report_run_start
from subscriptions.selectors import credit_balance
from subscriptions.services.credits import credit_append
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import GroupFactory, MembershipFactory, give_role
from tests.factories.subscriptions import subscribed

D = datetime.date
YEAR, TERM = 2026, "autumn"  # the autumn term 2026/27, in progress on the clock's day


def _at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _meeting(tenant, day, kind=Meeting.Kind.PARTNERSHIP):
    group = GroupFactory(partnership=tenant.partnership) if kind in Meeting.GROUP_KINDS else None
    return MeetingFactory(
        partnership=tenant.partnership,
        kind=kind,
        group=group,
        starts=_at(day),
        ends=_at(day, 17),
        organiser=tenant.coordinator,
    )


def _attend(tenant, meeting, school, status):
    return Attendance.objects.create(meeting=meeting, school=school, status=status, recorded_by=tenant.coordinator)


def _busy_term(tenant):
    """A term of records for the tenant's first school: attendance (and one meeting last year, which the
    term does not count), contributions part paid, and credits used."""
    school = tenant.schools[0]
    S = Attendance.Status
    with scopes_disabled():
        for day, status in [(D(2026, 9, 24), S.PRESENT), (D(2026, 10, 8), S.APOLOGIES), (D(2026, 11, 5), S.PRESENT)]:
            _attend(tenant, _meeting(tenant, day), school, status)
        _attend(tenant, _meeting(tenant, D(2026, 11, 12), Meeting.Kind.GROUP), school, S.SUBSTITUTE)
        _attend(tenant, _meeting(tenant, D(2026, 11, 19)), school, S.ABSENT)
        _attend(tenant, _meeting(tenant, D(2026, 6, 11)), school, S.ABSENT)  # last academic year
        _attend(tenant, _meeting(tenant, D(2026, 10, 8)), tenant.schools[1], S.ABSENT)  # another school
    _, requests = funded_year(tenant, start_year=2026, dated=D(2026, 4, 1))
    request = next(r for r in requests if r.school_id == school.pk)
    with scope(partnership=tenant.partnership):
        payment_record(
            actor=tenant.coordinator,
            request=request,
            amount=Decimal("100.00"),
            received_on=D(2026, 5, 1),
            method="bank_transfer",
        )
    subscription = subscribed(tenant, year=2026)
    with scopes_disabled():
        credit_append(subscription=subscription, kind="booking", amount=Decimal("-6.5"), description="Visit")
    return request, subscription


def test_every_figure_equals_its_records_and_a_regeneration_keeps_the_old_version(tenant_a):
    request, subscription = _busy_term(tenant_a)
    school = tenant_a.schools[0]
    with scope(partnership=tenant_a.partnership):
        first = governors_report_generate(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=school, academic_year=YEAR, term=TERM
        )
        term = term_from_json(first.data)
        recorded = Attendance.objects.filter(
            school=school, meeting__starts__gte=_at(term.starts, 0), meeting__starts__lte=_at(term.ends, 23)
        )
        for status, figure in [
            ("present", term.counts.present),
            ("substitute", term.counts.substitute),
            ("apologies", term.counts.apologies),
            ("absent", term.counts.absent),
        ]:
            assert figure == recorded.filter(status=status).count()
        assert (term.counts.present, term.counts.substitute, term.counts.apologies, term.counts.absent) == (2, 1, 1, 1)
        assert term.year_attendance[0].recorded == 5 and term.year_attendance[0].represented == 3
        paid = Payment.objects.filter(request__school=school).aggregate(total=Sum("amount"))["total"]
        assert term.money_paid == paid == Decimal("100.00")
        assert term.money_asked == request.amount
        assert term.credits.left == credit_balance(subscription) == Decimal("53.5")
        assert term.credits.used_this_term == Decimal("6.5")

        # A payment recorded late: the report already made still says what it said; a new version says more.
        payment_record(
            actor=tenant_a.coordinator,
            request=request,
            amount=Decimal("50.00"),
            received_on=D(2026, 11, 30),
            method="bank_transfer",
        )
        second = governors_report_generate(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=school, academic_year=YEAR, term=TERM
        )
        first.refresh_from_db()
        assert (first.version, second.version) == (1, 2)
        assert term_from_json(first.data).money_paid == Decimal("100.00")
        assert term_from_json(second.data).money_paid == Decimal("150.00")
        assert first.data_sha256 != second.data_sha256
        assert GovernorsReport.objects.filter(school=school, academic_year=YEAR, term=TERM).count() == 2


def test_a_school_that_was_never_a_member_in_the_term_is_refused_and_a_joiner_is_covered_from_its_first_day(
    tenant_a,
):
    with scopes_disabled():
        newcomer = MembershipFactory(partnership=tenant_a.partnership, joined=D(2026, 10, 20)).school
        later = MembershipFactory(partnership=tenant_a.partnership, joined=D(2027, 2, 1)).school
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError) as refused:
            governors_term(tenant_a.partnership, later, YEAR, TERM)
        assert "was not a member of Alpha Partnership on any day of the Autumn term 2026/27" in str(refused.value)
        term = governors_term(tenant_a.partnership, newcomer, YEAR, TERM)
        assert term.partial and term.covered_from == D(2026, 10, 20)
        assert term.is_empty  # nothing recorded: the report says so


def _governor(tenant, school, role=Role.GOVERNOR):
    user = UserFactory()
    with scopes_disabled():
        give_role(user, tenant.partnership, role, school, start=D(2024, 9, 1))
    return user


def test_a_governor_reads_only_their_own_schools_released_reports(tenant_a, client_for):
    own, other = tenant_a.schools
    governor = _governor(tenant_a, own)
    with scope(partnership=tenant_a.partnership):
        mine = governors_report_generate(
            actor=None, partnership=tenant_a.partnership, school=own, academic_year=YEAR, term=TERM
        )
        theirs = governors_report_generate(
            actor=None, partnership=tenant_a.partnership, school=other, academic_year=YEAR, term=TERM
        )
    client = client_for(governor)
    base = f"/p/{tenant_a.slug}/reports"
    assert client.get(f"{base}/{mine.pk}/").status_code == 200
    pdf = client.get(f"{base}/{mine.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(f"{base}/{theirs.pk}/").status_code == 404
    assert client.get(f"{base}/{theirs.pk}/report.pdf").status_code == 404
    index = client.get(f"{base}/").content.decode()
    assert own.name in index and other.name not in index
    dashboard = client.get(f"/p/{tenant_a.slug}/").content.decode()
    assert f"{base}/{mine.pk}/" in dashboard
    # The menu leads them to their reports; a deputy, who reads none, has no such item.
    assert f'href="{base}/"' in dashboard
    deputy = _governor(tenant_a, own, role=Role.DEPUTY)
    assert f'href="{base}/"' not in client_for(deputy).get(f"/p/{tenant_a.slug}/").content.decode()


def test_through_the_headteacher_governors_see_a_report_only_once_released_and_are_emailed(tenant_a, client_for):
    from core.models import OutboxMessage

    own = tenant_a.schools[0]
    governor = _governor(tenant_a, own)
    with scopes_disabled():
        ReportSettings.objects.create(
            partnership=tenant_a.partnership, delivery=ReportSettings.Delivery.HEADTEACHER_RELEASES
        )
    with scope(partnership=tenant_a.partnership):
        report = governors_report_generate(
            actor=None, partnership=tenant_a.partnership, school=own, academic_year=YEAR, term=TERM
        )
    url = f"/p/{tenant_a.slug}/reports/{report.pk}/"
    assert client_for(governor).get(url).status_code == 404
    assert "Waiting for your comment" in client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/").content.decode()
    assert not OutboxMessage.objects.filter(recipient=governor.email).exists()
    head = client_for(tenant_a.headteacher)
    assert head.post(f"{url}release/", {"comment": "A strong term for reading."}).status_code == 302
    page = client_for(governor).get(url).content.decode()
    assert "A strong term for reading." in page
    assert OutboxMessage.objects.filter(recipient=governor.email, kind="reports.governors_report").count() == 1
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError):
        governors_report_release(actor=tenant_a.headteacher, report=report, comment="Again")


def test_a_run_joins_the_run_in_progress_and_counts_progress(tenant_a, django_capture_on_commit_callbacks):
    with scope(partnership=tenant_a.partnership):
        with django_capture_on_commit_callbacks(execute=True):
            run = report_run_start(
                actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, term="summer"
            )
        run.refresh_from_db()
        assert (run.total, run.done, run.status) == (2, 2, ReportRun.Status.FINISHED)
        with scopes_disabled():
            ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, done=0)
        again = report_run_start(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, term="summer"
        )
        assert again.pk == run.pk
        assert GovernorsReport.objects.filter(run=run).count() == 2


def test_the_pdf_is_tagged_renders_with_its_charts_and_reads_back(tenant_a, client_for, tmp_path):
    _busy_term(tenant_a)
    with scope(partnership=tenant_a.partnership):
        report = governors_report_generate(
            actor=None, partnership=tenant_a.partnership, school=tenant_a.schools[0], academic_year=YEAR, term=TERM
        )
    response = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/reports/{report.pk}/report.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True).stdout
        for words in (tenant_a.schools[0].name, "Absent without apologies", "£100.00", "53.5"):
            assert words.encode() in text
    if shutil.which("pdftoppm"):
        (tmp_path / "report.pdf").write_bytes(response.content)
        subprocess.run(["pdftoppm", "-png", "-r", "50", tmp_path / "report.pdf", tmp_path / "page"], check=True)
        pages = sorted(tmp_path.glob("page-*.png"))
        assert len(pages) == len(reader.pages) and all(page.stat().st_size > 5000 for page in pages)


def test_a_member_that_left_before_the_term_is_refused_on_the_coordinators_run(tenant_a):
    with scopes_disabled():
        Membership.objects.filter(partnership=tenant_a.partnership, school=tenant_a.schools[1]).update(
            left=D(2026, 8, 31)
        )
    with scope(partnership=tenant_a.partnership):
        run = report_run_start(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=YEAR, term=TERM
        )
    assert run.school_ids == [tenant_a.schools[0].pk]


def test_the_chair_of_governors_sees_the_agreements_state_and_a_governor_does_not(tenant_a, client_for):
    chair = _governor(tenant_a, tenant_a.schools[0], Role.CHAIR_OF_GOVERNORS)
    governor = _governor(tenant_a, tenant_a.schools[0])
    url = f"/p/{tenant_a.slug}/reports/"
    chair_page = client_for(chair).get(url).content.decode()
    assert "The agreement" in chair_page and "No agreement has been published yet." in chair_page
    assert "The agreement" not in client_for(governor).get(url).content.decode()
    # Someone with no school's reports to read, and who generates none, has nothing here.
    observer = UserFactory()
    with scopes_disabled():
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    assert client_for(observer).get(url).status_code == 403


def test_the_progress_is_polled_while_the_run_is_in_progress_and_survives_a_reload(tenant_a, client_for):
    with scope(partnership=tenant_a.partnership):
        run = report_run_start(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2025, term="summer"
        )  # its tasks wait for the commit, which this test never makes: the run stays in progress
    client = client_for(tenant_a.coordinator)
    term_page = client.get(f"/p/{tenant_a.slug}/reports/terms/2025/summer/").content.decode()
    assert 'hx-trigger="every 2s"' in term_page and "0 of 2 done" in term_page
    assert "<script" not in term_page.split('id="report-run"')[1].split("</div>")[0]
    with scope(partnership=tenant_a.partnership):
        for school in tenant_a.schools:
            governors_report_generate(
                actor=None, partnership=tenant_a.partnership, school=school, academic_year=2025, term="summer", run=run
            )
        from reports.services.governors import report_run_progress

        report_run_progress(run=run)
    fragment = client.get(f"/p/{tenant_a.slug}/reports/runs/{run.pk}/").content.decode()
    assert "hx-trigger" not in fragment and "Generated 2 of 2 reports" in fragment


def test_beat_generates_the_last_ended_terms_reports_once(tenant_a, django_capture_on_commit_callbacks):
    from reports.tasks import generate_due_reports

    with django_capture_on_commit_callbacks(execute=True):
        generate_due_reports(partnership_id=tenant_a.partnership.pk)
    with scopes_disabled():
        run = ReportRun.objects.get(partnership=tenant_a.partnership)
        assert (run.academic_year, run.term, run.status) == (2025, "summer", ReportRun.Status.FINISHED)
        assert GovernorsReport.objects.filter(run=run).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        generate_due_reports(partnership_id=tenant_a.partnership.pk)
    with scopes_disabled():
        assert ReportRun.objects.filter(partnership=tenant_a.partnership).count() == 1
        assert GovernorsReport.objects.filter(partnership=tenant_a.partnership).count() == 2


def test_a_term_that_is_no_term_is_refused(tenant_a):
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        report_run_start(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=2030, term="summer"
        )
    assert "has not started yet" in str(refused.value)


def test_the_pages_run_a_constant_number_of_queries(tenant_a, client_for, django_assert_max_num_queries):
    with scopes_disabled():
        schools = [MembershipFactory(partnership=tenant_a.partnership).school for _ in range(12)]
    with scope(partnership=tenant_a.partnership):
        for school in [*tenant_a.schools, *schools]:
            for _ in range(2):
                governors_report_generate(
                    actor=None, partnership=tenant_a.partnership, school=school, academic_year=2025, term="summer"
                )
    client = client_for(tenant_a.coordinator)
    # The session, the user, the roles (twice over: the tenant and the page), the run, the reports, the
    # summary, and the base page's own reads; the same with 2 schools or 14.
    with django_assert_max_num_queries(20):
        assert client.get(f"/p/{tenant_a.slug}/reports/terms/2025/summer/").status_code == 200
    head = client_for(tenant_a.headteacher)
    with django_assert_max_num_queries(20):
        assert head.get(f"/p/{tenant_a.slug}/reports/").status_code == 200
    with django_assert_max_num_queries(20):
        assert head.get(f"/p/{tenant_a.slug}/reports/export.xlsx").status_code == 200


def test_only_what_governors_may_see_goes_into_the_report(tenant_a):
    from meetings.models import AgendaItem, Decision, Minutes
    from subscriptions.models import Visit
    from tests.factories.visits import adviser_for, review_in, visit_for

    adviser = adviser_for(tenant_a)
    private = visit_for(tenant_a, adviser=adviser)
    shared = visit_for(tenant_a, adviser=adviser, shared_with=[Role.GOVERNOR])
    review_in(tenant_a, "confirmed", adviser=adviser)
    with scopes_disabled():
        Visit.objects.filter(pk__in=[private.pk, shared.pk]).update(
            judgements="Reading is strong", next_steps="Phonics training"
        )
        meeting = _meeting(tenant_a, D(2026, 10, 8))
        Minutes.objects.create(meeting=meeting, status=Minutes.Status.CIRCULATED, circulated_at=timezone.now())
        open_item = AgendaItem.objects.create(meeting=meeting, position=1, title="Budget")
        closed_item = AgendaItem.objects.create(meeting=meeting, position=2, title="Staffing", confidential=True)
        Decision.objects.create(item=open_item, text="The budget is agreed", recorded_by=tenant_a.coordinator)
        Decision.objects.create(item=closed_item, text="A restructure at one school", recorded_by=tenant_a.coordinator)
        draft = _meeting(tenant_a, D(2026, 11, 5))
        Minutes.objects.create(meeting=draft)
        draft_item = AgendaItem.objects.create(meeting=draft, position=1, title="Events")
        Decision.objects.create(item=draft_item, text="Not yet circulated", recorded_by=tenant_a.coordinator)
    with scope(partnership=tenant_a.partnership):
        term = governors_term(tenant_a.partnership, tenant_a.schools[0], YEAR, TERM)
    assert [d.text for d in term.decisions] == ["The budget is agreed"]
    assert sorted(v.findings for v in term.visits) == ["", "Reading is strong"]
    assert term.review.confirmed and term.review.state == "Confirmed by the headteacher"
