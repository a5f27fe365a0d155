"""The Kent PEP headteacher: the plan and its outcomes, the CPD the agreement requires and what is
missing, at most 16 days of leadership support a year, and a performance-management panel that refuses
a headteacher whose school the PEP advises."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from partnerships.roles import Role
from subscriptions.models import PanelMember, PepPlan
from subscriptions.selectors import pep_cpd_summary
from subscriptions.services.pep import (
    pep_annual_review_record,
    pep_cpd_record,
    pep_outcome_add,
    pep_panel_member_add,
    pep_plan_create,
    pep_support_day_record,
)
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role, member_school_with_head

D = datetime.date
H = Decimal
FORMULA = '=HYPERLINK("http://evil.example","Click")'
pytestmark = pytest.mark.django_db


@pytest.fixture
def pep(tenant_a):
    """A PEP headteacher who is school improvement partner to the tenant's first school, and their plan."""
    with scopes_disabled():
        user = UserFactory(full_name="Pat PEP")
        give_role(user, tenant_a.partnership, Role.ADVISER, tenant_a.schools[0], start=D(2025, 9, 1))
        plan = pep_plan_create(actor=tenant_a.coordinator, partnership=tenant_a.partnership, pep=user, year=2026)
    return plan


def test_a_plan_is_for_a_school_improvement_partner_once_a_year(tenant_a, pep):
    with scopes_disabled():
        with pytest.raises(ValidationError, match="already has a plan for 2026/27"):
            pep_plan_create(actor=tenant_a.coordinator, partnership=tenant_a.partnership, pep=pep.pep, year=2026)
        with pytest.raises(ValidationError, match="not a school improvement partner"):
            pep_plan_create(
                actor=tenant_a.coordinator, partnership=tenant_a.partnership, pep=tenant_a.headteacher, year=2026
            )


def test_outcomes_carry_milestones_within_the_year(tenant_a, pep):
    with scopes_disabled():
        outcome = pep_outcome_add(
            actor=tenant_a.coordinator,
            plan=pep,
            text="Fewer schools below the floor standard at KS2",
            milestones=[("Data review with each head", D(2026, 11, 30)), ("Targets agreed", D(2027, 1, 31))],
        )
        assert [m.text for m in outcome.milestones.all()] == ["Data review with each head", "Targets agreed"]
        with pytest.raises(ValidationError, match="the plan's year"):
            pep_outcome_add(actor=tenant_a.coordinator, plan=pep, text="Later", milestones=[("x", D(2027, 9, 30))])


def test_the_cpd_summary_shows_what_is_required_attended_and_missing(tenant_a, pep):
    with scopes_disabled():
        pep_cpd_record(actor=pep.pep, plan=pep, kind="sip_cpd", on=D(2026, 10, 5), days=H("1"))
        pep_cpd_record(actor=pep.pep, plan=pep, kind="pep_cpd", on=D(2026, 10, 12), days=H("0.5"))
        pep_cpd_record(actor=pep.pep, plan=pep, kind="pep_cpd", on=D(2026, 11, 9), days=H("0.5"))
        pep_cpd_record(actor=pep.pep, plan=pep, kind="optional", on=D(2026, 11, 20), days=H("1"), title="Coaching")
        summary = {line.kind: line for line in pep_cpd_summary(pep)}
        with pytest.raises(ValidationError) as refused:
            pep_cpd_record(actor=pep.pep, plan=pep, kind="optional", on=D(2026, 11, 20), days=H("0.3"))
    assert (summary["sip_cpd"].required, summary["sip_cpd"].attended, summary["sip_cpd"].missing) == (4, 1, 3)
    assert (summary["pep_cpd"].attended, summary["pep_cpd"].missing) == (1, 2)  # six half days a year
    assert summary["pep_induction"].missing == 2 and summary["optional"].attended == 1
    assert set(refused.value.message_dict) == {"days", "title"}


def test_leadership_support_is_at_most_sixteen_days_a_year(tenant_a, pep):
    with scopes_disabled():
        for month in (10, 11, 12):
            pep_support_day_record(
                actor=pep.pep, plan=pep, school=tenant_a.schools[1], on=D(2026, month, 1), days=H("5")
            )
        with pytest.raises(ValidationError) as refused:
            pep_support_day_record(actor=pep.pep, plan=pep, school=tenant_a.schools[1], on=D(2027, 1, 5), days=H("2"))
        assert refused.value.message_dict["days"] == [
            "The agreement allows up to 16 days a year and 15 are given: 1 left"
        ]
        pep_support_day_record(actor=pep.pep, plan=pep, school=tenant_a.schools[1], on=D(2027, 1, 5), days=H("1"))


def test_the_panel_refuses_a_headteacher_whose_school_the_pep_advises(tenant_a, pep):
    with scopes_disabled():
        _, other_head = member_school_with_head(tenant_a.partnership, joined=D(2015, 9, 1))
        with pytest.raises(ValidationError) as refused:
            pep_panel_member_add(
                actor=tenant_a.coordinator,
                plan=pep,
                seat="headteacher",
                user=tenant_a.headteacher,
                meets_on=D(2027, 6, 10),
            )
        assert "conflict of interest" in refused.value.message_dict["user"][0]
        assert tenant_a.schools[0].name in refused.value.message_dict["user"][0]
        assert not PanelMember.objects.exists()
        pep_panel_member_add(
            actor=tenant_a.coordinator, plan=pep, seat="headteacher", user=other_head, meets_on=D(2027, 6, 10)
        )
        pep_panel_member_add(
            actor=tenant_a.coordinator, plan=pep, seat="manager", user=tenant_a.coordinator, meets_on=D(2027, 6, 10)
        )
        with pytest.raises(ValidationError, match="already has its partnership manager"):
            pep_panel_member_add(
                actor=tenant_a.coordinator, plan=pep, seat="manager", user=other_head, meets_on=D(2027, 6, 10)
            )
        with pytest.raises(ValidationError, match="their own panel"):
            pep_panel_member_add(
                actor=tenant_a.coordinator, plan=pep, seat="board", user=pep.pep, meets_on=D(2027, 6, 10)
            )
        pep_panel_member_add(
            actor=tenant_a.coordinator, plan=pep, seat="external", name="An accredited adviser", meets_on=D(2027, 6, 10)
        )
        assert PanelMember.objects.filter(plan=pep).count() == 3


def test_once_the_pep_stops_advising_the_school_its_head_may_sit(tenant_a, pep):
    with scopes_disabled():
        from partnerships.models import RoleAssignment

        RoleAssignment.objects.filter(user=pep.pep, role=Role.ADVISER).update(end=D(2027, 3, 31))
        pep_panel_member_add(
            actor=tenant_a.coordinator, plan=pep, seat="headteacher", user=tenant_a.headteacher, meets_on=D(2027, 6, 10)
        )


def test_the_annual_review_is_recorded_and_audited(tenant_a, pep):
    with scopes_disabled():
        pep_annual_review_record(actor=tenant_a.coordinator, plan=pep, held_on=D(2027, 7, 14), notes="Outcomes met")
        assert AuditEvent.objects.filter(action="subscriptions.pep_annual_review").exists()


def test_the_plan_page_shows_what_is_missing_and_the_panel_page_refuses_a_conflict(tenant_a, pep, client):
    with scopes_disabled():
        pep_cpd_record(actor=pep.pep, plan=pep, kind="sip_cpd", on=D(2026, 10, 5), days=H("1"))
    client.force_login(tenant_a.coordinator)
    page = client.get(f"/p/{tenant_a.slug}/subscriptions/pep/{pep.pk}/").content.decode()
    assert "3 days missing" in page and "0 of up to 16 days" in page
    response = client.post(
        f"/p/{tenant_a.slug}/subscriptions/pep/{pep.pk}/panel/",
        {"seat": "headteacher", "user": tenant_a.headteacher.pk, "meets_on": "2027-06-10"},
    )
    assert response.status_code == 400 and "conflict of interest" in response.content.decode()
    with scopes_disabled():
        assert not PanelMember.objects.exists()
    client.force_login(tenant_a.headteacher)
    assert client.get(f"/p/{tenant_a.slug}/subscriptions/pep/{pep.pk}/").status_code == 404
    client.force_login(pep.pep)
    assert client.get(f"/p/{tenant_a.slug}/subscriptions/pep/{pep.pk}/").status_code == 200


def test_the_coordinator_agrees_an_outcome_marks_a_milestone_and_records_the_review(tenant_a, pep, client):
    client.force_login(tenant_a.coordinator)
    base = f"/p/{tenant_a.slug}/subscriptions/pep/{pep.pk}"
    missing_date = client.post(f"{base}/outcomes/new/", {"text": "Better writing", "milestone_1": "Moderation"})
    assert missing_date.status_code == 400 and "Enter the date milestone 1 is due" in missing_date.content.decode()
    done = client.post(
        f"{base}/outcomes/new/", {"text": "Better writing", "milestone_1": "Moderation", "due_1": "2027-02-01"}
    )
    assert done.status_code == 302
    with scopes_disabled():
        milestone = pep.outcomes.get().milestones.get()
    url = f"/p/{tenant_a.slug}/subscriptions/pep/milestones/{milestone.pk}/met/"
    assert client.post(url, {"met_on": "2027-01-20"}).status_code == 400  # evidence is required
    assert client.post(url, {"met_on": "2027-01-20", "evidence": "Moderated samples"}).status_code == 302
    assert client.post(f"{base}/review/", {"held_on": "2027-07-14", "notes": "All met"}).status_code == 302
    page = client.get(f"{base}/").content.decode()
    assert "met 20 January 2027 (Moderated samples)" in page and "All met" in page


def _plans_export(tenant, fmt):
    return reverse("subscriptions:pep_plans_export", kwargs={"partnership_slug": tenant.slug, "fmt": fmt})


def test_the_plans_download_holds_the_plans_the_reader_may_read(tenant_a, tenant_b, pep, client_for):
    with scopes_disabled():
        other = UserFactory(full_name=FORMULA)
        give_role(other, tenant_a.partnership, Role.ADVISER, tenant_a.schools[1], start=D(2025, 9, 1))
        pep_plan_create(actor=tenant_a.coordinator, partnership=tenant_a.partnership, pep=other, year=2025)
        pep_annual_review_record(actor=tenant_a.coordinator, plan=pep, held_on=D(2027, 7, 14), notes="Kept private")
        PepPlan.objects.create(partnership=tenant_b.partnership, pep=UserFactory(full_name="Beta PEP"), year=2026)

    # The coordinator: every plan of this partnership, the latest year first, formulas disarmed.
    response = client_for(tenant_a.coordinator).get(_plans_export(tenant_a, "csv"))
    assert csv_rows(response) == [
        ["PEP headteacher", "Academic year", "Time as school improvement partner (%)", "Annual review meeting"],
        ["Pat PEP", "2026/27", "33", "2027-07-14"],
        ["'" + FORMULA, "2025/26", "33", ""],
    ]
    assert b"Kept private" not in response.content and b"Beta PEP" not in response.content
    sheet = xlsx_rows(client_for(tenant_a.coordinator).get(_plans_export(tenant_a, "xlsx")))
    assert sheet[1] == ("Pat PEP", "2026/27", 33, datetime.datetime(2027, 7, 14))
    assert sheet[2][0] == "'" + FORMULA and len(sheet) == 3

    # A PEP: their own plan only, as the page lists it; another PEP's plan does not exist for them.
    own = xlsx_rows(client_for(pep.pep).get(_plans_export(tenant_a, "xlsx")))
    assert [row[:2] for row in own[1:]] == [("Pat PEP", "2026/27")]
    assert csv_rows(client_for(other).get(_plans_export(tenant_a, "csv")))[1:] == [["'" + FORMULA, "2025/26", "33", ""]]
    assert csv_rows(client_for(tenant_a.headteacher).get(_plans_export(tenant_a, "csv")))[1:] == []
    beta = csv_rows(client_for(tenant_b.coordinator).get(_plans_export(tenant_b, "csv")))
    assert [row[0] for row in beta[1:]] == ["Beta PEP"]


def test_the_plans_page_links_to_its_downloads(tenant_a, pep, client_for):
    page = client_for(pep.pep).get(reverse("subscriptions:pep_plans", kwargs={"partnership_slug": tenant_a.slug}))
    assert "Download as CSV" in page.content.decode() and _plans_export(tenant_a, "xlsx") in page.content.decode()
    assert client_for(pep.pep).get(_plans_export(tenant_a, "pdf")).status_code == 404


def _more_plans(tenant, pep, years):
    """For each year, a plan of `pep`'s and five other PEPs' plans."""
    for year in years:
        PepPlan.objects.create(partnership=tenant.partnership, pep=pep, year=year)
        for _ in range(5):
            PepPlan.objects.create(partnership=tenant.partnership, pep=UserFactory(), year=year)


def test_the_plans_download_runs_the_same_queries_for_one_plan_and_sixty(tenant_a, pep, client_for):
    url = _plans_export(tenant_a, "xlsx")
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        url,
        grow=partial(_more_plans, tenant_a, pep.pep, range(2010, 2020)),
        at_most=5,
    )
    assert_constant_queries(
        client_for(pep.pep), url, grow=partial(_more_plans, tenant_a, pep.pep, range(2000, 2010)), at_most=5
    )
