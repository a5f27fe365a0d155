import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from finance.services.years import contribution_scheme_set, financial_year_open
from partnerships.calendar import academic_year_of, financial_year_of
from partnerships.models import Constitution, Membership, Term
from partnerships.models.constitution import DEFAULT_NOTICE_DAYS, RULES, SECTIONS
from partnerships.roles import Role
from partnerships.selectors.constitution import constitution_of, constitution_sections
from partnerships.services.constitution import constitution_update
from partnerships.services.partnerships import partnership_create
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import ConstitutionFactory, MembershipFactory, give_role, unset_rules
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


def update(tenant, **changes):
    return constitution_update(actor=tenant.coordinator, partnership=tenant.partnership, changes=changes)


def saved(partnership):
    with scopes_disabled():
        row = Constitution.objects.filter(partnership=partnership).values().first()
        return row, AuditEvent.objects.filter(action="constitution.changed").count()


# --- The service ----------------------------------------------------------------------------------------


def test_a_new_partnership_has_its_constitution_and_terms_from_the_start():
    partnership = partnership_create(actor=None, name="New Partnership", slug="new-partnership")
    first = constitution_of(partnership)
    second = constitution_of(partnership)
    assert first.pk == second.pk
    year = academic_year_of(timezone.localdate())
    with scope(partnership=partnership):
        assert sorted(Term.objects.values_list("academic_year", flat=True)) == [year] * 3 + [year + 1] * 3
    # The coordinator fills in what the agreement says: until then no rule is set, none defaulted.
    assert {rule: getattr(first, rule) for rule in RULES} == dict.fromkeys(RULES)
    assert not any(first.is_set(rule) for rule in RULES) and first.quorum_schools(14) is None
    with scopes_disabled():
        assert Constitution.objects.filter(partnership=partnership).count() == 1


def test_changes_are_saved_and_audited_with_old_and_new_values(tenant_a):
    banker = tenant_a.schools[1]
    update(tenant_a, banker_school=banker, cpd_free_hours_per_term=Decimal("3.0"))
    with scopes_disabled():
        constitution = Constitution.objects.get(partnership=tenant_a.partnership)
        event = AuditEvent.objects.get(action="constitution.changed")
    assert (constitution.cpd_free_hours_per_term, constitution.banker_school, constitution.updated_by) == (
        Decimal("3.0"),
        banker,
        tenant_a.coordinator,
    )
    assert event.actor == tenant_a.coordinator and event.partnership_id == tenant_a.partnership.pk
    assert event.data["changes"] == {
        "banker_school": {"old": None, "new": {"urn": banker.urn, "name": banker.name}},
        "cpd_free_hours_per_term": {"old": "0.0", "new": "3.0"},
    }
    update(tenant_a, cpd_free_hours_per_term=Decimal("3"))
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="constitution.changed").count() == 1, "no change, no audit"


def test_a_quorum_number_may_be_up_to_the_number_of_member_schools(tenant_a):
    update(tenant_a, quorum_kind=Constitution.Quorum.NUMBER, quorum_value=2)  # two members
    with pytest.raises(ValidationError) as caught:
        update(tenant_a, quorum_kind=Constitution.Quorum.NUMBER, quorum_value=3)
    assert "between 1 and the 2 member schools" in caught.value.message_dict["quorum_value"][0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quorum_kind": "percent", "quorum_value": 0}, "quorum_value", "between 1 and 100"),
        ({"quorum_kind": "percent", "quorum_value": 101}, "quorum_value", "between 1 and 100"),
        ({"quorum_kind": "number", "quorum_value": 0}, "quorum_value", "between 1 and the 2 member schools"),
        ({"quorum_kind": "sometimes"}, "quorum_kind", "not a valid choice"),
        ({"notice_days": 91}, "notice_days", "less than or equal to 90"),
        ({"meeting_frequency": "minimum_per_year", "min_meetings_per_year": 0}, "min_meetings_per_year", "least"),
        ({"meeting_frequency": "minimum_per_year", "min_meetings_per_year": None}, "min_meetings_per_year", "least"),
        ({"meeting_frequency": "minimum_per_year", "min_meetings_per_year": 51}, "min_meetings_per_year", "50"),
        ({"chair_term_years": 2, "chair_max_consecutive_years": 1}, "chair_max_consecutive_years", "at least one term"),
        ({"chair_term_years": 6}, "chair_term_years", "less than or equal to 5"),
        ({"strategy_head_reps": 3}, "strategy_head_reps", "more headteacher representatives than the 2 member"),
        ({"strategy_group_notes": "x" * 5001}, "strategy_group_notes", "Who belongs must be 5000 characters or fewer"),
        ({"leaving_notice_terms": 7}, "leaving_notice_terms", "less than or equal to 6"),
        ({"development_area_target": 5, "development_area_minimum": 6}, "development_area_minimum", "more areas"),
        ({"cpd_free_hours_per_term": Decimal("100.5")}, "cpd_free_hours_per_term", "100 a term or fewer"),
        ({"cpd_free_hours_per_term": Decimal("-1")}, "cpd_free_hours_per_term", "greater than or equal to 0"),
        ({"information_sharing": "x" * 5001}, "information_sharing", "5000 characters or fewer"),
        ({"partnership_id": 99}, "partnership_id", "cannot be changed here"),
    ],
)
def test_bad_rules_are_refused_by_field_and_nothing_changes(tenant_a, changes, field, message):
    before = saved(tenant_a.partnership)
    with pytest.raises(ValidationError) as caught:
        update(tenant_a, **changes)
    assert message in " ".join(caught.value.message_dict[field]), caught.value.message_dict
    assert saved(tenant_a.partnership) == before


def test_the_banker_school_must_be_a_current_member(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as caught:
        update(tenant_a, banker_school=tenant_b.schools[0])
    assert caught.value.message_dict["banker_school"] == [
        f"{tenant_b.schools[0].name} is not a member school: choose a current member school as the banker school"
    ]
    with scopes_disabled():
        Membership.objects.filter(partnership=tenant_a.partnership, school=tenant_a.schools[1]).update(
            left=datetime.date(2021, 8, 31)
        )
    with pytest.raises(ValidationError) as caught:
        update(tenant_a, banker_school=tenant_a.schools[1])
    assert caught.value.message_dict["banker_school"] == [
        f"{tenant_a.schools[1].name} left the partnership on 31 August 2021: choose a current member school as the "
        "banker school"
    ]
    update(tenant_a, banker_school=tenant_a.schools[0])


# --- Plain English -------------------------------------------------------------------------------------------


def rows(constitution, members=14):
    return {q: a for section in constitution_sections(constitution, members=members) for q, a in section["rows"]}


def test_the_rules_read_as_plain_english():
    c = ConstitutionFactory.build(
        meeting_frequency="minimum_per_year",
        min_meetings_per_year=3,
        notice_days=7,
        quorum_kind="percent",
        quorum_value=50,
        chair_term_years=1,
        chair_max_consecutive_years=4,
        chair_must_be_headteacher=True,
        leaving_notice_terms=1,
        leaver_contribution_refunded=False,
        cpd_free_hours_per_term=Decimal("3.0"),
        development_area_target=5,
        development_area_minimum=3,
    )
    text = rows(c)
    assert text["How often the partnership meets"] == "At least 3 strategic meetings a year"
    assert text["Notice of meetings"] == "7 days' notice"
    assert text["Quorum"] == "50% of the member schools: 7 of the 14 schools today"
    assert text["Term of office"] == "Elected every year"
    assert text["Who may be chair or vice chair"] == "From the headteachers of member schools"
    assert text["Longest a chair may serve"] == "4 consecutive years, if re-elected"
    assert text["Development areas a year"] == "About 5" and text["Each school takes part in"] == "At least 3 areas"
    assert text["Leaders' professional development for colleagues"] == "Free of charge for up to 3 hours a term"
    assert text["Leaving"].startswith("One term's written notice: a school leaves at the end of the term after")
    assert text["A leaver's contribution"] == "Not refunded for the financial year in which it leaves"
    c.meeting_frequency, c.notice_days, c.leaving_notice_terms = "half_termly", 1, 2
    c.quorum_kind, c.quorum_value = "number", 3
    text = rows(c)
    assert text["How often the partnership meets"] == "Every half term"
    assert text["Notice of meetings"] == "1 day's notice" and text["Quorum"] == "3 member schools"
    assert text["Leaving"].startswith("2 terms' written notice: a school leaves at the end of the second term after")
    assert [s["key"] for s in constitution_sections(c, members=1)] == list(SECTIONS)


# --- Pages ------------------------------------------------------------------------------------------------------


def test_every_role_reads_the_constitution_and_only_the_coordinator_sees_change_links(tenant_a, client_for):
    update(tenant_a, meeting_frequency="minimum_per_year", min_meetings_per_year=3)
    observer = UserFactory()
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    for user in (observer, tenant_a.headteacher):
        body = client_for(user).get(f"/p/{tenant_a.slug}/constitution/").content.decode()
        assert "At least 3 strategic meetings a year" in body and "Term dates" in body
        assert "/constitution/meetings/change/" not in body and ">Change<" not in body
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    for section, (title, _) in SECTIONS.items():
        assert f'href="/p/{tenant_a.slug}/constitution/{section}/change/"' in body
        assert f'Change<span class="govuk-visually-hidden"> {title.lower()}</span>' in body


def section_data(tenant, section):
    """The section's form as the page fills it, ready to post."""
    form = constitution_form(tenant, section)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, bool):
            data[name] = str(value)  # the Yes / No / "does not say" radios
            continue
        data[name] = "" if value is None else str(value)
    return data


def constitution_form(tenant, section):
    from django_scopes import scope

    from partnerships.forms.constitution import section_form_class

    with scope(partnership=tenant.partnership):
        return section_form_class(section)(constitution=constitution_of(tenant.partnership))


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_section_form_shows_and_saves_unchanged(tenant_a, client_for, section):
    client = client_for(tenant_a.coordinator)
    page = f"/p/{tenant_a.slug}/constitution/{section}/change/"
    assert client.get(page).status_code == 200
    response = client.post(page, section_data(tenant_a, section))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response["Location"] == f"/p/{tenant_a.slug}/constitution/#{section}"


def test_the_coordinator_chooses_the_banker_and_the_page_shows_this_years_contributions(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    page = f"/p/{tenant_a.slug}/constitution/money/change/"
    response = client.post(page, {"banker_school": tenant_a.schools[1].pk})
    assert response.status_code == 302
    body = client.get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    assert tenant_a.schools[1].name in body and "No financial year is open for today" in body
    with scope(partnership=tenant_a.partnership):  # the banker chosen above keeps the share
        year = financial_year_open(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            start_year=financial_year_of(timezone.localdate()),
        )
        contribution_scheme_set(
            actor=tenant_a.coordinator,
            year=year,
            basis="per_fte",
            rate=Decimal("2.00"),
            admin_share_percent=Decimal("10"),
        )
    body = client.get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    assert f"Contributions {year.label}" in body
    assert "£2.00 per full-time equivalent pupil at the January census" in body
    assert "10% of each payment received" in body


@pytest.mark.parametrize(
    ("section", "changes", "field", "message"),
    [
        ("meetings", {"quorum_value": "150"}, "quorum_value", "between 1 and 100"),
        ("meetings", {"quorum_value": "abc"}, "quorum_value", "must be a whole number"),
        ("meetings", {"quorum_kind": "number", "quorum_value": "9"}, "quorum_value", "between 1 and the 2 member"),
        ("meetings", {"meeting_frequency": "daily"}, "meeting_frequency", "using one of the options given"),
        ("meetings", {"notice_days": "9" * 50}, "notice_days", "less than or equal to 90"),
        (
            "offices",
            {"chair_term_years": "3", "chair_max_consecutive_years": "2"},
            "chair_max_consecutive_years",
            "at least one term",
        ),
        ("money", {"banker_school": "999999"}, "banker_school", "using one of the options given"),
        ("membership", {"leaving_notice_terms": "-1"}, "leaving_notice_terms", "must be 0 or more"),
        (
            "development",
            {"development_area_target": "5", "development_area_minimum": "6"},
            "development_area_minimum",
            "more areas",
        ),
        ("cpd", {"cpd_free_hours_per_term": "NaN"}, "cpd_free_hours_per_term", "must be a number"),
        ("cpd", {"cpd_free_hours_per_term": "200"}, "cpd_free_hours_per_term", "100 a term or fewer"),
        ("information", {"information_sharing": "x" * 6000}, "information_sharing", "5000 characters or fewer"),
    ],
)
def test_bad_rules_in_the_forms_are_refused_next_to_the_field(tenant_a, client_for, section, changes, field, message):
    client = client_for(tenant_a.coordinator)
    page = f"/p/{tenant_a.slug}/constitution/{section}/change/"
    data = {**section_data(tenant_a, section), **changes}
    before = saved(tenant_a.partnership)
    response = client.post(page, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    body = response.content.decode()
    assert "<title>Error: " in body and f'href="#id_{field}"' in body
    assert saved(tenant_a.partnership) == before


def test_a_school_from_another_partnership_cannot_be_the_banker(tenant_a, tenant_b, client_for):
    before = saved(tenant_a.partnership)
    response = client_for(tenant_a.coordinator).post(
        f"/p/{tenant_a.slug}/constitution/money/change/",
        {"banker_school": tenant_b.schools[0].pk},
    )
    assert response.status_code == 400 and "one of the options" in response.context["form"].errors["banker_school"][0]
    assert saved(tenant_a.partnership) == before


def _grow(tenant, schools=200):
    created = School.objects.bulk_create(
        School(urn=800000 + i, name=f"Big School {i:03}", phase="primary") for i in range(schools)
    )
    Membership.objects.bulk_create(
        Membership(partnership=tenant.partnership, school=s, joined="2020-09-01") for s in created
    )


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # session, user, partnership, roles (1, which give the permissions too); the constitution with its
        # banker school and editor (1), the member count (1), whether the banker school is leaving (1), this
        # year's terms (1), this financial year with its contribution scheme (1, finance's panel)
        ("", 9),
        # ... the constitution (1), the member schools for the banker choice (1)
        ("money/change/", 6),
        ("meetings/change/", 5),
    ],
)
def test_constitution_pages_run_a_constant_number_of_queries(tenant_a, client_for, path, budget):
    update(tenant_a, banker_school=tenant_a.schools[0])
    client = client_for(tenant_a.coordinator)
    assert_constant_queries(
        client, f"/p/{tenant_a.slug}/constitution/{path}", grow=lambda: _grow(tenant_a), at_most=budget
    )


def test_the_large_constitution_page_counts_every_member_for_the_quorum(tenant_a, client_for):
    with scopes_disabled():
        _grow(tenant_a)
        MembershipFactory(partnership=tenant_a.partnership, school=SchoolFactory())
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    assert "50% of the member schools: 102 of the 203 schools today" in body


# --- Rules the agreement does not make ------------------------------------------------------------------------


def test_the_test_partnerships_agreement_sets_every_rule_that_may_be_unset():
    from tests.factories.partnerships import AGREED_RULES

    assert set(AGREED_RULES) == set(RULES)


def test_an_unset_quorum_needs_no_schools_rather_than_a_default():
    c = ConstitutionFactory.build(quorum_kind=None, quorum_value=None)
    assert c.quorum_schools(14) is None and not c.is_set("quorum_value")
    c.quorum_kind, c.quorum_value = "percent", 50
    assert c.quorum_schools(14) == 7 and c.is_set("quorum_kind")


def test_a_default_notice_is_only_a_default_and_says_the_agreement_is_silent():
    c = ConstitutionFactory.build(notice_days=None)
    assert (c.notice_days_or_default, c.is_set("notice_days")) == (DEFAULT_NOTICE_DAYS, False)
    c.notice_days = 14
    assert (c.notice_days_or_default, c.is_set("notice_days")) == (14, True)


def test_every_unset_rule_reads_not_set_by_the_agreement(tenant_a, client_for):
    unset_rules(tenant_a.partnership)
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    for question in (
        "How often the partnership meets",
        "Notice of meetings",
        "Quorum",
        "Term of office",
        "Who may be chair or vice chair",
        "Longest a chair may serve",
        "Headteacher representatives",
        "Primary and secondary",
        "Leaving",
        "A leaver&#x27;s contribution",
        "Development areas a year",
        "Each school takes part in",
        "Leaders&#x27; professional development for colleagues",
    ):
        assert re.search(
            rf"<dt class=\"govuk-summary-list__key\">{question}</dt><dd class=\"govuk-summary-list__value\">"
            r"Not set by the agreement",
            body,
        ), question
    for default in ("7 days", "50%", "consecutive year", "One term&#x27;s written notice", "Not refunded"):
        assert default not in body


def test_unset_rules_pass_the_database_checks(tenant_a):
    unset_rules(tenant_a.partnership)
    update(tenant_a, chair_term_years=2)  # a term with no limit: nothing to cover
    update(tenant_a, chair_term_years=None, chair_max_consecutive_years=1)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(quorum_kind="percent")


def test_the_coordinator_leaves_rules_unset_in_the_forms_and_the_audit_records_it(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    page = f"/p/{tenant_a.slug}/constitution/meetings/change/"
    form = client.get(page).content.decode()
    assert "The agreement does not say" in form and "Leave empty if the agreement does not say" in form
    data = {
        **section_data(tenant_a, "meetings"),
        "meeting_frequency": "",
        "notice_days": "",
        "quorum_kind": "",
        "quorum_value": "50",  # left over from before: "does not say" clears it
    }
    assert client.post(page, data).status_code == 302
    row, _ = saved(tenant_a.partnership)
    assert (row["meeting_frequency"], row["notice_days"], row["quorum_kind"], row["quorum_value"]) == (None,) * 4
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="constitution.changed").latest("pk")
    assert event.data["changes"]["notice_days"] == {"old": 7, "new": None}
    assert event.data["changes"]["quorum_kind"] == {"old": "percent", "new": None}

    page = f"/p/{tenant_a.slug}/constitution/offices/change/"
    data = {**section_data(tenant_a, "offices"), "chair_max_consecutive_years": "", "chair_must_be_headteacher": ""}
    assert client.post(page, data).status_code == 302
    row, _ = saved(tenant_a.partnership)
    assert (row["chair_max_consecutive_years"], row["chair_must_be_headteacher"]) == (None, None)
    data["chair_must_be_headteacher"] = "False"
    assert client.post(page, data).status_code == 302
    assert saved(tenant_a.partnership)[0]["chair_must_be_headteacher"] is False


def test_half_a_quorum_is_refused_by_field(tenant_a):
    with pytest.raises(ValidationError) as caught:
        update(tenant_a, quorum_value=None)
    assert caught.value.message_dict["quorum_value"] == ["Enter the quorum, or choose that the agreement does not say"]
