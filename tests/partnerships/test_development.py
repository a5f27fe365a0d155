"""Development areas: a headteacher coordinates each, schools take part with a lead of their own, and the
participation page shows the schools below the agreement's minimum."""

import datetime

import pytest
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import (
    AreaParticipation,
    Constitution,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Membership,
)
from partnerships.models.development import Status
from schools.models import Person
from tests.factories.partnerships import (
    AreaParticipationFactory,
    DevelopmentActionFactory,
    DevelopmentAreaFactory,
    MembershipFactory,
    unset_rules,
)
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db
D = Person.Position
YEAR = 2026


def url(tenant, path=""):
    return f"/p/{tenant.slug}/development/{path}"


@pytest.fixture
def heads(tenant_a):
    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    return (
        PersonFactory(partnership=p, school=s0, position=D.HEADTEACHER, full_name="Hana Head"),
        PersonFactory(partnership=p, school=s1, position=D.HEADTEACHER, full_name="Hugo Head"),
    )


def rules(tenant, minimum=3, target=5):
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=tenant.partnership,
            defaults={"development_area_minimum": minimum, "development_area_target": target},
        )


# --- Areas and their development coordinators ----------------------------------------------------------------


def area_data(**changes):
    data = {"academic_year": YEAR, "name": "Literacy", "coordinator": "", "objectives": "Reading for pleasure"}
    data.update(changes)
    return data


def test_the_coordinator_adds_an_area_with_a_headteacher_as_its_development_coordinator(tenant_a, client_for, heads):
    client = client_for(tenant_a.coordinator)
    assert "Hana Head, headteacher of" in client.get(url(tenant_a, "new/")).content.decode()
    response = client.post(url(tenant_a, "new/"), area_data(coordinator=heads[0].pk))
    assert response.status_code == 302
    with scopes_disabled():
        area = DevelopmentArea.objects.get(partnership=tenant_a.partnership, name="Literacy")
        assert AuditEvent.objects.filter(action="development.area_created", data__area=area.pk).exists()
    assert (area.academic_year, area.coordinator) == (YEAR, heads[0])
    page = client.get(url(tenant_a, f"?year={YEAR}")).content.decode()
    assert "Literacy" in page and "Hana Head" in page


def test_a_development_coordinator_who_is_not_a_headteacher_is_refused(tenant_a, client_for):
    deputy = PersonFactory(
        partnership=tenant_a.partnership, school=tenant_a.schools[0], position=D.DEPUTY_HEAD, full_name="Dee Deputy"
    )
    client = client_for(tenant_a.coordinator)
    assert "Dee Deputy" not in client.get(url(tenant_a, "new/")).content.decode()  # not offered
    response = client.post(url(tenant_a, "new/"), area_data(coordinator=deputy.pk))
    assert response.status_code == 400
    school = tenant_a.schools[0].name
    assert response.context["form"].errors["coordinator"] == [
        f"Dee Deputy is deputy headteacher at {school}: a development coordinator must be a headteacher"
    ]
    with scopes_disabled():
        assert not DevelopmentArea.objects.exists()


def test_a_headteacher_of_a_school_that_is_not_a_member_is_refused(tenant_a, client_for, today):
    gone = MembershipFactory(
        partnership=tenant_a.partnership, joined=datetime.date(2018, 9, 1), left=today - datetime.timedelta(days=1)
    ).school
    head = PersonFactory(partnership=tenant_a.partnership, school=gone, position=D.HEADTEACHER, full_name="Gil Gone")
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "new/"), area_data(coordinator=head.pk))
    assert response.status_code == 400
    assert "which is not a current member" in response.context["form"].errors["coordinator"][0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"academic_year": "1999"}, "academic_year", "using one of the options given"),
        ({"academic_year": "twenty"}, "academic_year", "using one of the options given"),
        ({"name": ""}, "name", "Enter the name of the area"),
        ({"name": "n" * 151}, "name", "150 characters or fewer"),
        ({"objectives": "o" * 5001}, "objectives", "5000 characters or fewer"),
        ({"coordinator": "1e9"}, "coordinator", "using one of the options given"),
    ],
)
def test_bad_areas_are_refused_next_to_the_field(tenant_a, client_for, changes, field, message):
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "new/"), area_data(**changes))
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert "<title>Error: " in response.content.decode()
    with scopes_disabled():
        assert not DevelopmentArea.objects.exists()


def test_the_same_area_name_twice_in_a_year_is_refused(tenant_a, client_for):
    DevelopmentAreaFactory(partnership=tenant_a.partnership, name="Literacy", academic_year=YEAR)
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "new/"), area_data(name="LITERACY"))
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["There is already an area called LITERACY in 2026/27"]


def test_changing_an_area_records_its_status_and_evaluation(tenant_a, client_for, heads):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership, coordinator=heads[0])
    client = client_for(tenant_a.coordinator)
    assert client.get(url(tenant_a, f"{area.pk}/change/")).status_code == 200
    data = {
        "name": area.name,
        "coordinator": heads[1].pk,
        "objectives": "x",
        "status": Status.DONE,
        "evaluation": "Met",
    }
    assert client.post(url(tenant_a, f"{area.pk}/change/"), data).status_code == 302
    with scopes_disabled():
        area.refresh_from_db()
    assert (area.coordinator, area.status, area.evaluation) == (heads[1], Status.DONE, "Met")
    assert client.post(url(tenant_a, f"{area.pk}/change/"), {**data, "status": "finished"}).status_code == 400


# --- The plan -----------------------------------------------------------------------------------------------


def test_the_plan_has_actions_with_owners_and_milestones_with_dates(tenant_a, client_for, heads):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership)
    client = client_for(tenant_a.coordinator)
    response = client.post(
        url(tenant_a, f"{area.pk}/actions/add/"),
        {"description": "Moderate Year 6 writing", "owner": heads[1].pk, "due": "2027-02-01", "status": "planned"},
    )
    assert response.status_code == 302
    response = client.post(
        url(tenant_a, f"{area.pk}/milestones/add/"),
        {"description": "Plan agreed", "due": "2026-10-15", "status": "done"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        action = DevelopmentAction.objects.get(area=area)
        milestone = DevelopmentMilestone.objects.get(area=area)
    assert (action.owner, action.due) == (heads[1], datetime.date(2027, 2, 1))
    assert milestone.status == Status.DONE
    response = client.post(
        url(tenant_a, f"actions/{action.pk}/change/"),
        {"description": action.description, "owner": heads[1].pk, "due": "2027-02-01", "status": "done"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        action.refresh_from_db()
    assert action.status == Status.DONE
    page = client.get(url(tenant_a, f"{area.pk}/")).content.decode()
    assert "Moderate Year 6 writing" in page and "Plan agreed" in page and "Hugo Head" in page


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("milestones/add/", {"description": "M", "due": "2027-13-01", "status": "planned"}, "due"),
        ("milestones/add/", {"description": "M", "due": "", "status": "planned"}, "due"),
        ("milestones/add/", {"description": "m" * 301, "due": "2027-01-01", "status": "planned"}, "description"),
        ("actions/add/", {"description": "A", "due": "32/12/2026", "status": "planned"}, "due"),
        ("actions/add/", {"description": "A", "owner": "x", "status": "planned"}, "owner"),
        ("actions/add/", {"description": "", "status": "planned"}, "description"),
        ("actions/add/", {"description": "A", "status": "someday"}, "status"),
    ],
)
def test_bad_plan_items_are_refused(tenant_a, client_for, path, data, field):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership)
    response = client_for(tenant_a.coordinator).post(url(tenant_a, f"{area.pk}/{path}"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert not DevelopmentAction.objects.exists() and not DevelopmentMilestone.objects.exists()


def test_an_action_owner_from_a_school_that_has_left_is_refused(tenant_a, client_for, today):
    p, s1 = tenant_a.partnership, tenant_a.schools[1]
    owner = PersonFactory(partnership=p, school=s1, full_name="Olga Owner")
    with scopes_disabled():
        Membership.objects.filter(partnership=p, school=s1).update(left=today - datetime.timedelta(days=1))
    area = DevelopmentAreaFactory(partnership=p)
    response = client_for(tenant_a.coordinator).post(
        url(tenant_a, f"{area.pk}/actions/add/"), {"description": "A", "owner": owner.pk, "status": "planned"}
    )
    assert response.context["form"].errors["owner"] == ["Olga Owner is not at a current member school"]


# --- Schools taking part, each with its own lead ------------------------------------------------------------


def test_a_school_takes_part_with_a_lead_of_its_own(tenant_a, client_for):
    p, (s0, s1) = tenant_a.partnership, tenant_a.schools
    area = DevelopmentAreaFactory(partnership=p, name="Numeracy")
    own = PersonFactory(partnership=p, school=s0, full_name="Maya Maths")
    other = PersonFactory(partnership=p, school=s1, full_name="Otto Other")
    client = client_for(tenant_a.coordinator)
    add = url(tenant_a, f"{area.pk}/schools/add/")

    response = client.post(add, {"school": s0.pk, "lead": other.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["lead"] == [
        f"Otto Other is at {s1.name}: the lead must be a person of {s0.name}"
    ]
    assert client.post(add, {"school": s0.pk, "lead": own.pk}).status_code == 302

    response = client.post(add, {"school": s0.pk, "lead": own.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["school"] == [f"{s0.name} already takes part in Numeracy"]

    with scopes_disabled():
        participation = AreaParticipation.objects.get(area=area)
    assert (participation.school, participation.lead) == (s0, own)

    # Changing the lead follows the same rule.
    change = url(tenant_a, f"schools/{participation.pk}/change/")
    assert "Otto Other" not in client.get(change).content.decode()
    assert client.post(change, {"lead": other.pk}).status_code == 400
    assert client.post(change, {"lead": ""}).status_code == 302
    with scopes_disabled():
        participation.refresh_from_db()
    assert participation.lead is None


def test_a_school_that_is_not_a_current_member_cannot_take_part(tenant_a, tenant_b, client_for, today):
    p = tenant_a.partnership
    area = DevelopmentAreaFactory(partnership=p)
    gone = MembershipFactory(partnership=p, joined=datetime.date(2018, 9, 1), left=today - datetime.timedelta(days=1))
    client = client_for(tenant_a.coordinator)
    add = url(tenant_a, f"{area.pk}/schools/add/")
    response = client.post(add, {"school": gone.school.pk, "lead": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["school"] == [
        f"{gone.school.name} is not a current member of the partnership"
    ]
    response = client.post(add, {"school": tenant_b.schools[0].pk, "lead": ""})
    assert "is not a current member" in response.context["form"].errors["school"][0]
    assert client.post(add, {"school": "999999999", "lead": ""}).status_code == 400
    with scopes_disabled():
        assert not AreaParticipation.objects.exists()


def test_removing_a_school_asks_first(tenant_a, client_for):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership)
    participation = AreaParticipationFactory(area=area, school=tenant_a.schools[0])
    client = client_for(tenant_a.coordinator)
    remove = url(tenant_a, f"schools/{participation.pk}/remove/")
    assert "Remove the school" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    with scopes_disabled():
        assert not AreaParticipation.objects.exists()


# --- The participation page ---------------------------------------------------------------------------------


def five_areas(tenant, year=YEAR):
    return [
        DevelopmentAreaFactory(partnership=tenant.partnership, academic_year=year, name=name)
        for name in ("Inclusion", "Leadership", "Literacy", "Numeracy", "Community")
    ]


def test_the_participation_page_highlights_schools_below_the_minimum(tenant_a, client_for):
    rules(tenant_a, minimum=3, target=5)
    s0, s1 = tenant_a.schools
    areas = five_areas(tenant_a)
    for area in areas[:3]:
        AreaParticipationFactory(area=area, school=s0)
    for area in areas[3:]:
        AreaParticipationFactory(area=area, school=s1)
    response = client_for(tenant_a.headteacher).get(url(tenant_a, f"participation/?year={YEAR}"))
    assert response.status_code == 200
    year = response.context["year_participation"]
    assert {row.school: row.count for row in year.schools} == {s0: 3, s1: 2}
    assert [row.school for row in year.below_minimum] == [s1]
    body = response.content.decode()
    assert f"1 school takes part in fewer than 3 areas: {s1.name} (2)" in body
    assert body.count("Below the minimum") == 1
    assert "the agreement asks for about" not in body  # five areas: on target

    # Meeting the minimum clears the warning.
    AreaParticipationFactory(area=areas[0], school=s1)
    body = client_for(tenant_a.headteacher).get(url(tenant_a, f"participation/?year={YEAR}")).content.decode()
    assert "Below the minimum" not in body and "Every member school takes part in at least 3 areas" in body


def test_a_year_with_far_fewer_areas_than_the_target_is_warned_about(tenant_a, client_for):
    rules(tenant_a, minimum=3, target=5)
    DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=YEAR, name="Only one")
    DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=YEAR, name="And two")
    client = client_for(tenant_a.coordinator)
    warning = "There are 2 development areas for 2026/27; the agreement asks for about 5."
    assert warning in client.get(url(tenant_a, f"participation/?year={YEAR}")).content.decode()
    assert warning in client.get(url(tenant_a, f"?year={YEAR}")).content.decode()
    DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=YEAR, name="And three")
    DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=YEAR, name="And four")
    assert "the agreement asks for about" not in client.get(url(tenant_a, f"?year={YEAR}")).content.decode()


def test_with_the_default_constitution_nobody_is_below_a_minimum(tenant_a, client_for):
    response = client_for(tenant_a.coordinator).get(url(tenant_a, "participation/"))
    assert response.status_code == 200
    assert response.context["year_participation"].minimum == 0
    assert response.context["year_participation"].below_minimum == []


def test_areas_of_another_year_do_not_count(tenant_a, client_for):
    rules(tenant_a, minimum=1, target=0)
    old = DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=YEAR - 1)
    AreaParticipationFactory(area=old, school=tenant_a.schools[0])
    response = client_for(tenant_a.coordinator).get(url(tenant_a, f"participation/?year={YEAR}"))
    assert len(response.context["year_participation"].below_minimum) == 2


@pytest.mark.parametrize("year", ["", "abc", "99999999999999999999", "-5", "1850", "2026'"])
def test_odd_years_in_the_address_show_the_current_year(tenant_a, client_for, today, year):
    current = academic_year_of(today)
    label = academic_year_label(current)
    # An area in another year, so the year navigation is shown and the current year has to be chosen from two.
    DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=current - 1)
    client = client_for(tenant_a.coordinator)

    response = client.get(url(tenant_a, f"?year={year}"))
    assert response.status_code == 200
    assert (response.context["year"], response.context["year_label"]) == (current, label)
    page = response.content.decode()
    assert f'<span class="govuk-caption-l">{label}</span>' in page
    assert f'href="?year={current}" aria-current="page">{label}</a>' in page
    assert f"Areas for {label} (0)" in page

    response = client.get(url(tenant_a, f"participation/?year={year}"))
    assert response.status_code == 200
    assert response.context["year_participation"].year == current
    page = response.content.decode()
    assert f'<span class="govuk-caption-l">{label}</span>' in page
    assert f'href="?year={current}" aria-current="page">{label}</a>' in page

    response = client.get(url(tenant_a, f"new/?year={year}"))
    assert response.status_code == 200
    assert response.context["form"]["academic_year"].value() == current
    assert f'<option value="{current}" selected>{label}</option>' in response.content.decode()


def test_a_headteacher_reads_but_cannot_change_the_plan(tenant_a, client_for):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership)
    DevelopmentActionFactory(area=area)
    client = client_for(tenant_a.headteacher)
    body = client.get(url(tenant_a, f"{area.pk}/")).content.decode()
    assert "Add an action" not in body and 'Change<span class="govuk-visually-hidden">' not in body
    assert (
        client.post(url(tenant_a, f"{area.pk}/actions/add/"), {"description": "x", "status": "planned"}).status_code
        == 403
    )


def test_a_schools_areas_for_the_school_page(tenant_a):
    from django_scopes import scope

    from partnerships.selectors.development import areas_for_school

    p, s0 = tenant_a.partnership, tenant_a.schools[0]
    lead = PersonFactory(partnership=p, school=s0)
    this_year = DevelopmentAreaFactory(partnership=p, academic_year=YEAR, name="Literacy")
    last_year = DevelopmentAreaFactory(partnership=p, academic_year=YEAR - 1, name="Numeracy")
    AreaParticipationFactory(area=this_year, school=s0, lead=lead)
    AreaParticipationFactory(area=last_year, school=s0)
    with scope(partnership=p):
        assert [(x.area.name, x.lead) for x in areas_for_school(s0, YEAR)] == [("Literacy", lead)]


def test_an_agreement_silent_on_a_minimum_marks_nobody_below_it(tenant_a, client_for):
    unset_rules(tenant_a.partnership, "development_area_minimum", "development_area_target")
    DevelopmentAreaFactory(partnership=tenant_a.partnership, academic_year=YEAR, name="Only one")
    response = client_for(tenant_a.coordinator).get(url(tenant_a, f"participation/?year={YEAR}"))
    year = response.context["year_participation"]
    assert (year.minimum, year.target, year.below_minimum) == (None, None, [])
    body = response.content.decode()
    assert "Below the minimum" not in body and "the agreement asks" not in body
