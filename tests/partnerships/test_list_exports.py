"""More of the partnership's lists download as CSV and XLSX, each under its page's permission and with
its page's filters: the register of interests (leaders only; everyone or those due), the groups, a
year's development areas, the membership record (by status) and the elections."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from partnerships.roles import Role
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import (
    AreaParticipationFactory,
    DeclarationFactory,
    DevelopmentActionFactory,
    DevelopmentAreaFactory,
    GroupFactory,
    GroupMemberFactory,
    InterestFactory,
    MembershipFactory,
    give_role,
    member_school_with_head,
    record_election,
)
from tests.factories.schools import PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _url(tenant, name, fmt, **kwargs):
    return reverse(name, kwargs={"partnership_slug": tenant.slug, "fmt": fmt, **kwargs})


# --- The register of interests ------------------------------------------------------------------------------


def test_the_register_downloads_each_declaration_with_its_interests(tenant_a, tenant_b, client_for):
    today = timezone.localdate()
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.headteacher, nothing_to_declare=False, declared_on=today
    )
    InterestFactory(declaration=declaration, description=FORMULA)
    InterestFactory(declaration=declaration, description="Governor of Brook Primary", kind="other")
    DeclarationFactory(partnership=tenant_b.partnership, user=tenant_b.headteacher)
    client = client_for(tenant_a.coordinator)

    rows = csv_rows(client.get(_url(tenant_a, "interests:register_export", "csv")))
    assert rows[0] == ["Name", "Email", "Status", "Roles", "Declared", "Interests"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {tenant_a.coordinator.full_name, tenant_a.headteacher.full_name}
    head = by_name[tenant_a.headteacher.full_name]
    assert head[2:5] == ["Up to date", f"Headteacher, {tenant_a.schools[0].name}", today.isoformat()]
    assert head[5] == f"'{FORMULA} (pecuniary)\nGovernor of Brook Primary (other)"
    assert by_name[tenant_a.coordinator.full_name][2:] == ["Missing", "Coordinator", "", "None recorded"]

    sheet = xlsx_rows(client.get(_url(tenant_a, "interests:register_export", "xlsx"), {"show": "due"}))
    assert [row[0] for row in sheet[1:]] == [tenant_a.coordinator.full_name]


def test_a_formula_at_the_start_of_a_register_cell_is_disarmed(tenant_a, client_for):
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.headteacher, nothing_to_declare=False
    )
    InterestFactory(declaration=declaration, description=FORMULA)
    tenant_a.headteacher.full_name = "@SUM(1+1)"
    tenant_a.headteacher.save()
    sheet = xlsx_rows(client_for(tenant_a.coordinator).get(_url(tenant_a, "interests:register_export", "xlsx")))
    head = next(row for row in sheet if row[1] == tenant_a.headteacher.email)
    assert head[0] == "'@SUM(1+1)" and head[5].startswith("'=HYPERLINK")
    assert isinstance(head[4], datetime.datetime)


def test_a_headteacher_cannot_download_the_register(tenant_a, client_for):
    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "interests:register_export", "csv"))
    assert response.status_code == 403


def test_the_register_download_runs_the_same_queries_however_many_declare(tenant_a, client_for):
    InterestFactory(declaration=DeclarationFactory(partnership=tenant_a.partnership, user=tenant_a.headteacher))

    def grow():
        for _ in range(20):
            user = UserFactory()
            give_role(user, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1])
            declaration = DeclarationFactory(partnership=tenant_a.partnership, user=user, nothing_to_declare=False)
            InterestFactory(declaration=declaration)

    assert_constant_queries(
        client_for(tenant_a.coordinator), _url(tenant_a, "interests:register_export", "xlsx"), grow=grow, at_most=10
    )


# --- Groups, development areas and the membership record ----------------------------------------------------


def test_the_groups_download_lists_standing_then_task_groups_with_their_chairs(tenant_a, tenant_b, client_for):
    deputy = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], full_name=FORMULA)
    network = GroupFactory(partnership=tenant_a.partnership, name="Maths network", chair=deputy)
    GroupMemberFactory(group=network, person=deputy)
    GroupFactory(task=True, partnership=tenant_a.partnership, name="Ended task", ends=datetime.date(2025, 7, 31))
    GroupFactory(partnership=tenant_b.partnership, name="Beta's network")

    rows = csv_rows(client_for(tenant_a.headteacher).get(_url(tenant_a, "groups:list_export", "csv")))
    assert rows[0] == [
        "Group", "Kind", "Status", "Chair", "How the chair is found", "Members", "From", "To", "Reports to",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Maths network", "Ended task"]
    assert rows[1][1:4] == ["Standing group or network", "Current", "'" + FORMULA]
    assert rows[1][5:8] == ["1", "2024-09-01", ""]
    assert rows[2][2] == "Ended" and rows[2][7] == "2025-07-31"

    sheet = xlsx_rows(client_for(tenant_a.headteacher).get(_url(tenant_a, "groups:list_export", "xlsx")))
    assert sheet[1][5] == 1 and sheet[1][6] == datetime.datetime(2024, 9, 1)

    members = csv_rows(
        client_for(tenant_a.headteacher).get(_url(tenant_a, "groups:members_export", "csv", group_pk=network.pk))
    )
    assert members == [
        ["Name", "Position", "School", "Member school", "Chair"],
        ["'" + FORMULA, deputy.get_position_display(), tenant_a.schools[0].name, "Yes", "Chair"],
    ]
    other = GroupFactory(partnership=tenant_b.partnership)
    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "groups:members_export", "csv", group_pk=other.pk))
    assert response.status_code == 404


def test_the_areas_download_is_the_years_areas(tenant_a, client_for):
    head = PersonFactory(partnership=tenant_a.partnership, school=tenant_a.schools[0], full_name="Hana Head")
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership, name=FORMULA, coordinator=head, academic_year=2025)
    AreaParticipationFactory(area=area, school=tenant_a.schools[0], lead=head)
    DevelopmentActionFactory(area=area, owner=head, status="done")
    DevelopmentActionFactory(area=area, owner=head)
    DevelopmentAreaFactory(partnership=tenant_a.partnership, name="Next year's", academic_year=2026)
    client = client_for(tenant_a.headteacher)

    sheet = xlsx_rows(client.get(_url(tenant_a, "development:list_export", "xlsx"), {"year": "2025"}))
    assert sheet[0] == (
        "Area", "Development coordinator", "Coordinator's school", "Schools", "Actions", "Actions done", "Status",
    )  # fmt: skip
    assert sheet[1][:6] == ("'" + FORMULA, "Hana Head", tenant_a.schools[0].name, 1, 2, 1)
    assert len(sheet) == 2
    response = client.get(_url(tenant_a, "development:list_export", "csv"), {"year": "2025"})
    assert "2025-26" in response["Content-Disposition"]


def test_the_membership_download_follows_the_status_filter(tenant_a, tenant_b, client_for):
    left = MembershipFactory(
        partnership=tenant_a.partnership,
        school=SchoolFactory(name=FORMULA),
        joined=datetime.date(2019, 9, 1),
        left=datetime.date(2023, 8, 31),
        approved_on=datetime.date(2019, 7, 1),
        approval_reference="SG 2019/4",
    )
    client = client_for(tenant_a.headteacher)

    current = csv_rows(client.get(_url(tenant_a, "membership:list_export", "csv")))
    assert current[0] == ["School", "Status", "URN", "Joined", "Approved", "Approval reference"]
    assert sorted(row[0] for row in current[1:]) == sorted(school.name for school in tenant_a.schools)

    sheet = xlsx_rows(client.get(_url(tenant_a, "membership:list_export", "xlsx"), {"status": "left"}))
    assert sheet[1:] == [
        (
            "'" + FORMULA,
            "Left",
            left.school.urn,
            datetime.datetime(2019, 9, 1),
            datetime.datetime(2019, 7, 1),
            "SG 2019/4",
        )
    ]
    assert not {school.name for school in tenant_b.schools} & {row[0] for row in sheet}


def test_the_membership_download_runs_the_same_queries_however_many_schools(tenant_a, client_for):
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        _url(tenant_a, "membership:list_export", "xlsx") + "?status=all",
        grow=lambda: [MembershipFactory(partnership=tenant_a.partnership) for _ in range(40)],
        at_most=8,
    )


# --- Elections ------------------------------------------------------------------------------------------------


def test_the_elections_download_lists_each_election_with_its_candidates(tenant_a, client_for):
    pairs = [
        member_school_with_head(tenant_a.partnership, joined=datetime.date(2010, 9, 1), name=name)
        for name in ("Brook Primary", "Hill Primary")
    ]
    (brook, pat), (_, sam) = pairs
    record_election(
        tenant_a.coordinator,
        tenant_a.partnership,
        pat,
        starts=datetime.date(2024, 9, 1),
        method="votes",
        candidates=[(pat, 7), (sam, 5)],
        notes=FORMULA,
    )
    sheet = xlsx_rows(client_for(tenant_a.headteacher).get(_url(tenant_a, "governance:elections_export", "xlsx")))
    assert sheet[0] == (
        "Office", "From", "Last day in office", "Elected", "School", "How", "Held", "Candidates", "Notes",
    )  # fmt: skip
    office, starts, _, elected, school, _, held, candidates, notes = sheet[1]
    assert (office, elected, school) == ("Chair", pat.full_name, brook.name)
    assert starts == held == datetime.datetime(2024, 9, 1)
    assert candidates == f"{pat.full_name}: 7 votes\n{sam.full_name}: 5 votes" and notes == "'" + FORMULA


def test_the_elections_download_runs_the_same_queries_however_many(tenant_a, client_for):
    heads = [member_school_with_head(tenant_a.partnership, joined=datetime.date(2010, 9, 1))[1] for _ in range(2)]

    def grow():
        for year in range(2018, 2026, 2):
            record_election(
                tenant_a.coordinator, tenant_a.partnership, heads[year % 4 // 2], starts=datetime.date(year, 9, 1)
            )

    record_election(tenant_a.coordinator, tenant_a.partnership, heads[1], starts=datetime.date(2016, 9, 1))
    assert_constant_queries(
        client_for(tenant_a.coordinator), _url(tenant_a, "governance:elections_export", "csv"), grow=grow, at_most=8
    )
