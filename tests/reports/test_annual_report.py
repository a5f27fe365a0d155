"""The annual partnership report: every figure equals the records it comes from (also after a late
payment and a regeneration, which keeps the old version), a year with nothing recorded says so, a year
that is no year is 404, no school's private figures are in it, the pages run a constant number of
queries for 200 schools, and the PDF is tagged, renders and reads back."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from finance.models import ContributionRequest, Payment
from finance.services.contributions import payment_record
from meetings.models import Attendance, Meeting
from partnerships.models import Membership
from partnerships.roles import Role
from reports.models import AnnualReport
from reports.selectors.annual import annual_year, year_from_json
from reports.services.annual import annual_report_generate
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import (
    AreaParticipationFactory,
    DevelopmentAreaFactory,
    DevelopmentMilestoneFactory,
    GroupFactory,
    LeavingNoticeFactory,
    MembershipFactory,
    give_role,
)

D = datetime.date
YEAR = 2025  # the academic year 2025/26: 1 September 2025 to 31 August 2026, over on the clock's day
S = Attendance.Status


def _at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _meeting(tenant, day, kind=Meeting.Kind.PARTNERSHIP, status=Meeting.Status.SCHEDULED):
    group = GroupFactory(partnership=tenant.partnership) if kind in Meeting.GROUP_KINDS else None
    return MeetingFactory(
        partnership=tenant.partnership,
        kind=kind,
        group=group,
        status=status,
        starts=_at(day),
        ends=_at(day, 17),
        organiser=tenant.coordinator,
    )


def _attend(tenant, meeting, school, status):
    Attendance.objects.create(meeting=meeting, school=school, status=status, recorded_by=tenant.coordinator)


def _busy_year(tenant):
    """A year of records: partnership meetings (and a group meeting, a cancelled one and one of the year
    before, none of which count), a development area, contributions part paid, a school that joined and
    one that gave notice and left."""
    first, second = tenant.schools
    _, requests = funded_year(tenant, start_year=2025, dated=D(2025, 4, 1))  # before the newcomer joined
    with scopes_disabled():
        for day, statuses in [
            (D(2025, 9, 30), (S.PRESENT, S.APOLOGIES)),
            (D(2025, 11, 25), (S.PRESENT, S.ABSENT)),
            (D(2026, 1, 27), (S.SUBSTITUTE, S.PRESENT)),
            (D(2026, 7, 14), (S.PRESENT, S.ABSENT)),
        ]:
            meeting = _meeting(tenant, day)
            _attend(tenant, meeting, first, statuses[0])
            _attend(tenant, meeting, second, statuses[1])
        _attend(tenant, _meeting(tenant, D(2025, 10, 14), Meeting.Kind.GROUP), first, S.ABSENT)
        _attend(tenant, _meeting(tenant, D(2025, 12, 9), status=Meeting.Status.CANCELLED), first, S.ABSENT)
        _attend(tenant, _meeting(tenant, D(2025, 7, 8)), first, S.ABSENT)  # the year before
        newcomer = MembershipFactory(partnership=tenant.partnership, joined=D(2026, 1, 5)).school
        _attend(tenant, _meeting(tenant, D(2026, 3, 17)), newcomer, S.PRESENT)
        leaving = Membership.objects.get(partnership=tenant.partnership, school=second)
        LeavingNoticeFactory(
            membership=leaving, received_on=D(2026, 2, 2), leaving_on=D(2026, 8, 31), recorded_by=tenant.coordinator
        )
        leaving.left = D(2026, 8, 31)
        leaving.save()
        area = DevelopmentAreaFactory(partnership=tenant.partnership, academic_year=YEAR, name="Reading")
        DevelopmentMilestoneFactory(area=area, status="done")
        DevelopmentMilestoneFactory(area=area)
        AreaParticipationFactory(area=area, school=first)
        AreaParticipationFactory(area=area, school=newcomer)
        DevelopmentAreaFactory(partnership=tenant.partnership, academic_year=YEAR + 1, name="Next year's")
    with scope(partnership=tenant.partnership):
        payment_record(
            actor=tenant.coordinator,
            request=requests[0],
            amount=Decimal("100.00"),
            received_on=D(2025, 5, 1),
            method="bank_transfer",
        )
    return newcomer, requests


def _generate(tenant, year=YEAR, progress=""):
    with scope(partnership=tenant.partnership):
        return annual_report_generate(
            actor=tenant.coordinator, partnership=tenant.partnership, academic_year=year, progress=progress
        )


def test_every_figure_equals_its_records_and_a_regeneration_keeps_the_old_version(tenant_a):
    newcomer, requests = _busy_year(tenant_a)
    first = _generate(tenant_a, progress="Reading rose in every school.")
    year = year_from_json(first.data)
    assert year.progress == "Reading rose in every school."

    # Attendance: each school's counts are its records at the year's partnership meetings, nothing else.
    with scopes_disabled():
        counted = Attendance.objects.filter(
            meeting__partnership=tenant_a.partnership,
            meeting__kind=Meeting.Kind.PARTNERSHIP,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts__gte=_at(D(2025, 9, 1), 0),
            meeting__starts__lt=_at(D(2026, 9, 1), 0),
        )
        by_name = {row.school: row for row in year.attendance}
        for school in [*tenant_a.schools, newcomer]:
            row = by_name[school.name]
            for status, figure in [
                (S.PRESENT, row.present),
                (S.SUBSTITUTE, row.substitute),
                (S.APOLOGIES, row.apologies),
                (S.ABSENT, row.absent),
            ]:
                assert figure == counted.filter(school=school, status=status).count()
        assert year.meetings == 5
    first_row, second_row = by_name[tenant_a.schools[0].name], by_name[tenant_a.schools[1].name]
    assert (first_row.present, first_row.substitute, first_row.apologies, first_row.absent) == (3, 1, 0, 0)
    assert (second_row.present, second_row.apologies, second_row.absent) == (1, 1, 2)
    assert year.attendance_totals.recorded == 9

    # Money: the partnership's totals for the financial years that overlap the academic year.
    with scopes_disabled():
        asked = ContributionRequest.objects.filter(partnership=tenant_a.partnership).aggregate(t=Sum("amount"))["t"]
        paid = Payment.objects.filter(request__partnership=tenant_a.partnership).aggregate(t=Sum("amount"))["t"]
    [money] = year.money
    assert (money.label, money.asked, money.paid, money.outstanding) == ("2025-26", asked, paid, asked - paid)
    assert paid == Decimal("100.00")
    assert [(line.name, line.planned) for line in money.lines] == [
        ("Administration", Decimal("500.00")),
        ("Events", Decimal("300.00")),
    ]

    # Membership: who joined, gave notice and left, on their days.
    assert [(c.day, c.school, c.change) for c in year.changes] == [
        (D(2026, 1, 5), newcomer.name, "joined"),
        (D(2026, 2, 2), tenant_a.schools[1].name, "notice"),
        (D(2026, 8, 31), tenant_a.schools[1].name, "left"),
    ]
    assert (year.members_at_start, year.members_at_end) == (2, 3)

    # Development areas: this year's only, with their milestones and schools.
    [area] = year.areas
    assert (area.name, area.milestones_met, area.milestones) == ("Reading", 1, 2)
    assert sorted(area.schools) == sorted([tenant_a.schools[0].name, newcomer.name])

    # A payment recorded late: the report already made still says what it said; a new version says more.
    with scope(partnership=tenant_a.partnership):
        payment_record(
            actor=tenant_a.coordinator,
            request=requests[1],
            amount=Decimal("50.00"),
            received_on=D(2026, 11, 30),
            method="bank_transfer",
        )
    second = _generate(tenant_a)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert year_from_json(first.data).money[0].paid == Decimal("100.00")
    assert year_from_json(second.data).money[0].paid == Decimal("150.00")
    assert first.data_sha256 != second.data_sha256
    with scopes_disabled():
        assert AnnualReport.objects.filter(partnership=tenant_a.partnership, academic_year=YEAR).count() == 2

    # The page shows the latest; the first is still there to read.
    from django.test import Client

    client = Client()
    client.force_login(tenant_a.coordinator)
    base = f"/p/{tenant_a.slug}/reports/annual/{YEAR}/"
    assert "£150.00" in client.get(base).content.decode()
    older = client.get(f"{base}?version=1").content.decode()
    assert "£100.00" in older and "Version 1, generated" in older


def test_a_year_with_nothing_recorded_says_so(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/reports/annual/2010/"
    assert "has not been generated yet" in client.get(url).content.decode()
    response = client.post(f"{url}generate/", {"progress": ""})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Nothing was recorded for 2010/11" in page
    assert "The coordinator has not written the partnership" in page
    assert "0 member schools on 1 September 2010" in page
    pdf = client.get(f"{url}report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_year_that_is_no_year_or_a_version_that_is_none_is_404(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    base = f"/p/{tenant_a.slug}/reports/annual"
    next_year = timezone.localdate().year + 1
    for url in (f"{base}/1999/", f"{base}/{next_year}/", f"{base}/{next_year}/report.pdf", f"{base}/99999/generate/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/{next_year}/generate/", {"progress": ""}).status_code == 404
    _generate(tenant_a)
    for query in ("?version=2", "?version=abc", "?version=-1", "?version=99999999999"):
        assert client.get(f"{base}/{YEAR}/{query}").status_code == 404, query
    assert client.get(f"{base}/2011/report.pdf").status_code == 404  # no report for the year
    with scopes_disabled():
        assert not AnnualReport.objects.filter(academic_year=next_year).exists()


def test_headteachers_and_governors_read_it_and_only_the_coordinator_generates(tenant_a, client_for):
    _generate(tenant_a)
    governor = UserFactory()
    observer = UserFactory()
    with scopes_disabled():
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1], start=D(2024, 9, 1))
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    url = f"/p/{tenant_a.slug}/reports/annual/{YEAR}/"
    for reader in (tenant_a.coordinator, tenant_a.headteacher, governor):
        client = client_for(reader)
        page = client.get(url)
        assert page.status_code == 200
        assert client.get(f"{url}report.pdf").status_code == 200
        assert url in client.get(f"/p/{tenant_a.slug}/reports/").content.decode()
    assert client_for(observer).get(url).status_code == 403
    for user in (tenant_a.headteacher, governor):
        assert client_for(user).post(f"{url}generate/", {"progress": "x"}).status_code == 403
        assert "Generate it again" not in client_for(user).get(url).content.decode()
    with scopes_disabled():
        assert AnnualReport.objects.filter(partnership=tenant_a.partnership).count() == 1


def test_no_schools_own_figures_or_private_records_are_in_the_report(tenant_a, client_for):
    from subscriptions.models import Visit
    from tests.factories.visits import adviser_for, visit_for

    _, requests = _busy_year(tenant_a)
    adviser = adviser_for(tenant_a)
    visit = visit_for(tenant_a, adviser=adviser, shared_with=[Role.GOVERNOR])
    with scopes_disabled():
        Visit.objects.filter(pk=visit.pk).update(judgements="Phonics is weak in year 2")
    _generate(tenant_a)
    governor = UserFactory()
    with scopes_disabled():
        give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1], start=D(2024, 9, 1))
    client = client_for(governor)
    page = client.get(f"/p/{tenant_a.slug}/reports/annual/{YEAR}/").content.decode()
    total = sum((r.amount for r in requests), Decimal("0.00"))
    assert f"£{total:,}" in page
    for request in requests:  # each school's own contribution is its own, not in a report to every school
        assert f"£{request.amount:,}" not in page
    assert "Phonics is weak" not in page
    text = _pdf_text(client.get(f"/p/{tenant_a.slug}/reports/annual/{YEAR}/report.pdf").content)
    if text is not None:
        assert f"£{total:,}" in text and all(f"£{r.amount:,}" not in text for r in requests)


def _grow(tenant, schools=200):
    """200 more member schools, each at every partnership meeting of the year and in an area."""
    created = School.objects.bulk_create(
        School(urn=600000 + i, name=f"Big School {i:03}", phase="primary") for i in range(schools)
    )
    Membership.objects.bulk_create(
        Membership(partnership=tenant.partnership, school=s, joined=D(2025, 10, 1)) for s in created
    )
    meetings = list(Meeting.objects.filter(partnership=tenant.partnership, kind=Meeting.Kind.PARTNERSHIP))
    Attendance.objects.bulk_create(
        Attendance(meeting=m, school=s, status=S.PRESENT, recorded_by=tenant.coordinator)
        for m in meetings
        for s in created
    )
    area = DevelopmentAreaFactory(partnership=tenant.partnership, academic_year=YEAR, name="Maths")
    for s in created:
        AreaParticipationFactory(area=area, school=s)


def test_generating_and_reading_run_a_constant_number_of_queries_for_200_schools(
    tenant_a, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _busy_year(tenant_a)

    def generating() -> int:
        with CaptureQueriesContext(connection) as queries:
            _generate(tenant_a)
        return len(queries)

    client = client_for(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/reports/annual/{YEAR}/"
    small = generating()
    client.get(url)
    with CaptureQueriesContext(connection) as page_small:
        client.get(url)
    with scopes_disabled():
        _grow(tenant_a)
    assert generating() == small
    with CaptureQueriesContext(connection) as page_large:
        page = client.get(url).content.decode()
    assert "Big School 199" in page
    assert len(page_small) == len(page_large) <= 15
    assert small <= 25


def _pdf_text(content: bytes) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True).stdout.decode()


def test_the_pdf_is_tagged_renders_with_its_charts_and_reads_back(tenant_a, client_for, tmp_path):
    _busy_year(tenant_a)
    _generate(tenant_a, progress="Reading rose in every school.")
    response = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/reports/annual/{YEAR}/report.pdf")
    assert response["Content-Disposition"].startswith('attachment; filename="annual-report-')
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and "/StructTreeRoot" in root
    assert reader.metadata.title == "Annual partnership report, 2025/26"
    text = _pdf_text(response.content)
    if text is not None:
        for words in (
            "Annual partnership report, 2025/26",
            "Reading rose in every school.",
            "Absent without apologies",
            "Gave notice to leave",
            "£100.00",
            tenant_a.schools[0].name,
        ):
            assert words in text, words
    if shutil.which("pdftoppm"):
        (tmp_path / "annual.pdf").write_bytes(response.content)
        subprocess.run(["pdftoppm", "-png", "-r", "50", tmp_path / "annual.pdf", tmp_path / "page"], check=True)
        pages = sorted(tmp_path.glob("page-*.png"))
        assert len(pages) == len(reader.pages) and all(page.stat().st_size > 5000 for page in pages)


@pytest.mark.parametrize("year", [YEAR, 2010])
def test_the_selector_reads_inside_the_partnerships_scope_only(tenant_a, tenant_b, year):
    _busy_year(tenant_a)
    with scopes_disabled():
        DevelopmentAreaFactory(partnership=tenant_b.partnership, academic_year=YEAR, name="Theirs")
        _attend(tenant_b, _meeting(tenant_b, D(2025, 10, 7)), tenant_b.schools[0], S.ABSENT)
    with scope(partnership=tenant_b.partnership):
        theirs = annual_year(tenant_b.partnership, year)
    names = {row.school for row in theirs.attendance} | {a.name for a in theirs.areas}
    assert not names & ({s.name for s in tenant_a.schools} | {"Reading"})


def test_the_demo_makes_exeters_annual_report_for_the_last_complete_year_once(tenant_a):
    from reports.demo import load_annual
    from reports.selectors.annual import last_complete_year

    with scopes_disabled():
        load_annual(tenant_a.partnership, {"slug": "exeter-beacon"})
        load_annual(tenant_a.partnership, {"slug": "exeter-beacon"})
        load_annual(tenant_a.partnership, {"slug": "heart-of-manchester"})  # only Exeter's demo has them
        years = sorted(
            AnnualReport.objects.filter(partnership=tenant_a.partnership).values_list("academic_year", "version")
        )
    assert years == [(last_complete_year(), 1), (last_complete_year() + 1, 1)]
