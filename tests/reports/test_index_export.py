"""The reports page's governors' reports download as CSV and XLSX: each report the reader sees listed
there (every version of their own school's for its headteacher, each term's latest released one for a
governor, none of a school they hold no role in), formula-looking text disarmed, dates as dates, in a
constant number of queries. Another partnership's reports are never in the file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.roles import Role
from reports.models import GovernorsReport
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, give_role

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'
GENERATED = datetime.datetime(2025, 7, 25, 9, tzinfo=datetime.UTC)
RELEASED = datetime.datetime(2025, 7, 28, 9, tzinfo=datetime.UTC)


def _url(tenant, fmt):
    return reverse("reports:index_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def _report(tenant, school, *, year=2024, term="summer", version=1, released=False):
    with scopes_disabled():
        return GovernorsReport.objects.create(
            partnership=tenant.partnership,
            school=school,
            academic_year=year,
            term=term,
            version=version,
            data={},
            data_sha256="0" * 64,
            generated_at=GENERATED,
            released_at=RELEASED if released else None,
        )


def _governor(tenant, school):
    user = UserFactory()
    with scopes_disabled():
        give_role(user, tenant.partnership, Role.GOVERNOR, school, start=datetime.date(2024, 9, 1))
    return user


def test_the_headteacher_downloads_every_version_of_their_own_schools_reports(tenant_a, tenant_b, client_for):
    own, other = tenant_a.schools
    with scopes_disabled():
        type(own).objects.filter(pk=own.pk).update(name=FORMULA)
    first = _report(tenant_a, own, version=1, released=True)
    _report(tenant_a, own, version=2)
    _report(tenant_a, own, year=2025, term="autumn")
    _report(tenant_a, other, released=True)
    _report(tenant_b, tenant_b.schools[0], released=True)

    rows = csv_rows(client_for(tenant_a.headteacher).get(_url(tenant_a, "csv")))
    label = first.term_label
    assert rows[0] == ["School", "URN", "Term", "Version", "Generated", "Released to governors", "Released on"]
    local = timezone.localtime(GENERATED).date().isoformat()
    assert [row[2:] for row in rows[1:]] == [
        [rows[1][2], "1", local, "Not yet", ""],
        [label, "2", local, "Not yet", ""],
        [label, "1", local, "Released", timezone.localtime(RELEASED).date().isoformat()],
    ]
    assert {(row[0], row[1]) for row in rows[1:]} == {("'" + FORMULA, str(own.urn))}

    sheet = xlsx_rows(client_for(tenant_a.headteacher).get(_url(tenant_a, "xlsx")))
    assert sheet[3][3] == 1 and sheet[3][6] == datetime.datetime.combine(
        timezone.localtime(RELEASED).date(), datetime.time()
    )
    page = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/reports/").content.decode()
    assert "Download as CSV" in page and _url(tenant_a, "xlsx") in page


def test_a_governor_downloads_only_each_terms_latest_released_report_of_their_school(tenant_a, client_for):
    own, other = tenant_a.schools
    governor = _governor(tenant_a, own)
    _report(tenant_a, own, version=1, released=True)
    _report(tenant_a, own, version=2, released=True)
    _report(tenant_a, own, version=3)  # not released: the governor's page does not list it
    _report(tenant_a, own, year=2025, term="autumn")
    _report(tenant_a, other, released=True)

    rows = csv_rows(client_for(governor).get(_url(tenant_a, "csv")))
    assert [(row[1], row[3], row[5]) for row in rows[1:]] == [(str(own.urn), "2", "Released")]


def test_only_those_who_see_the_reports_page_download_it(tenant_a, client_for):
    _report(tenant_a, tenant_a.schools[0], released=True)
    # The coordinator generates the reports but governs no school: the page lists none for them.
    assert csv_rows(client_for(tenant_a.coordinator).get(_url(tenant_a, "csv")))[1:] == []
    observer = UserFactory()
    with scopes_disabled():
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    assert client_for(observer).get(_url(tenant_a, "csv")).status_code == 403
    assert client_for(tenant_a.headteacher).post(_url(tenant_a, "csv")).status_code == 405
    assert client_for(tenant_a.headteacher).get(_url(tenant_a, "pdf")).status_code == 404


def test_the_download_runs_the_same_queries_for_a_few_reports_and_many(tenant_a, client_for):
    _report(tenant_a, tenant_a.schools[0], released=True)

    def grow():
        for year in range(2010, 2024):
            for term in ("autumn", "spring", "summer"):
                _report(tenant_a, tenant_a.schools[0], year=year, term=term, released=year % 2 == 0)
        for _ in range(5):
            _report(tenant_a, MembershipFactory(partnership=tenant_a.partnership).school, released=True)

    url = _url(tenant_a, "xlsx")
    assert_constant_queries(client_for(tenant_a.headteacher), url, grow=grow, at_most=6)
    assert len(xlsx_rows(client_for(tenant_a.headteacher).get(url))) == 44
