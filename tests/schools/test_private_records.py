"""A member school's private records: its people and their contact details, census, budget and contribution.

Seen by the school's own people, its adviser, the coordinator and (figures only) the banker school's
finance officer; by anyone else only as the constitution's information sharing says. Everyone sees the
school's name, phase, address and its headteacher's name and work email.
"""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from core.testing import assert_constant_queries
from partnerships.models import Constitution
from partnerships.models.constitution import InformationCategory, SharedWith
from partnerships.roles import Role
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.permissions import can_see_school_private
from partnerships.services.constitution import constitution_update
from partnerships.tenancy import TenantContext
from schools.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role
from tests.factories.schools import BudgetFactory, CensusFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEAD_EMAIL = "head@first.example"
DEPUTY_EMAIL = "deputy.private@first.example"
HEADCOUNT = "4321"
BUDGET = "1,234,567.89"


@pytest.fixture
def first(tenant_a):
    """tenant_a's first school, with a headteacher and a deputy on record, a census and a budget."""
    school = tenant_a.schools[0]
    with scopes_disabled():
        PersonFactory(
            partnership=tenant_a.partnership,
            school=school,
            full_name="Hana Head",
            email=HEAD_EMAIL,
            position=Person.Position.HEADTEACHER,
        )
        PersonFactory(
            partnership=tenant_a.partnership,
            school=school,
            full_name="Dev Deputy",
            email=DEPUTY_EMAIL,
            position=Person.Position.DEPUTY_HEAD,
        )
        CensusFactory(school=school, year=2026, headcount=int(HEADCOUNT), fte=Decimal("400.5"))
        BudgetFactory(school=school, financial_year=2026, amount=Decimal("1234567.89"))
    return school


def _user_with(tenant, role, school=None):
    user = UserFactory()
    give_role(user, tenant.partnership, role, school)
    return user


def _page(client, tenant, school, suffix=""):
    return client.get(f"/p/{tenant.slug}/members/{school.urn}/{suffix}")


def _share(tenant, **switches):
    constitution_update(
        actor=tenant.coordinator, partnership=tenant.partnership, changes=switches, section="information"
    )


PRIVATE_PAGES = ["census/", "budget/", "people/add/", "people/{person}/", "people/{person}/remove/"]


def _private_urls(tenant, school):
    with scopes_disabled():
        person = Person.objects.get(school=school, position=Person.Position.DEPUTY_HEAD)
    return [f"/p/{tenant.slug}/members/{school.urn}/{page.format(person=person.pk)}" for page in PRIVATE_PAGES]


def test_a_head_of_another_school_gets_404_for_its_people_census_and_budget_pages(tenant_a, first, client_for):
    other_head = _user_with(tenant_a, Role.HEADTEACHER, tenant_a.schools[1])
    client = client_for(other_head)
    for url in _private_urls(tenant_a, first):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"full_name": "X", "position": "teacher", "year": "2026"}).status_code == 404, url


def test_a_head_of_another_school_sees_only_the_shared_fields_on_its_page(tenant_a, first, client_for):
    other_head = _user_with(tenant_a, Role.HEADTEACHER, tenant_a.schools[1])
    response = _page(client_for(other_head), tenant_a, first)
    body = response.content.decode()
    assert response.status_code == 200
    assert first.name in body and first.get_phase_display() in body and first.postcode in body
    assert "Hana Head" in body and HEAD_EMAIL in body
    assert "Dev Deputy" not in body and DEPUTY_EMAIL not in body
    assert HEADCOUNT not in body and BUDGET not in body
    assert "people and their contact details, census figures and budget are not shared with you" in body
    # The page says what is shared, and why.
    assert "What the partnership shares about its schools" in body
    assert "Only the school&#x27;s own people, the coordinator and the school&#x27;s adviser" in body


def test_governors_of_another_school_see_no_more_than_its_heads(tenant_a, first, client_for):
    governor = _user_with(tenant_a, Role.GOVERNOR, tenant_a.schools[1])
    body = _page(client_for(governor), tenant_a, first).content.decode()
    assert DEPUTY_EMAIL not in body and HEADCOUNT not in body and BUDGET not in body
    assert all(client_for(governor).get(url).status_code == 404 for url in _private_urls(tenant_a, first))


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.DEPUTY, Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR, Role.ADVISER])
def test_the_schools_own_people_and_its_adviser_see_everything(tenant_a, first, client_for, role):
    user = _user_with(tenant_a, role, first)
    body = _page(client_for(user), tenant_a, first).content.decode()
    assert DEPUTY_EMAIL in body and HEADCOUNT in body and BUDGET in body
    assert "not shared with you" not in body


def test_the_coordinator_sees_every_schools_records_and_pages(tenant_a, first, client_for):
    client = client_for(tenant_a.coordinator)
    body = _page(client, tenant_a, first).content.decode()
    assert DEPUTY_EMAIL in body and HEADCOUNT in body and BUDGET in body
    assert all(client.get(url).status_code == 200 for url in _private_urls(tenant_a, first))


def test_the_banker_schools_finance_officer_sees_figures_but_not_people(tenant_a, first, client_for):
    banker = tenant_a.schools[1]
    constitution_update(
        actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"banker_school": banker}, section="money"
    )
    finance = _user_with(tenant_a, Role.FINANCE_OFFICER, banker)
    client = client_for(finance)
    body = _page(client, tenant_a, first).content.decode()
    assert HEADCOUNT in body and BUDGET in body
    assert DEPUTY_EMAIL not in body and "Hana Head" in body
    assert "the school&#x27;s adviser and the banker school&#x27;s finance officer" in body
    assert client.get(f"/p/{tenant_a.slug}/members/{first.urn}/people/add/").status_code == 404
    # Seeing the figures is not changing them: that stays the coordinator's (403, the page exists for them).
    assert client.get(f"/p/{tenant_a.slug}/members/{first.urn}/census/").status_code == 403
    context = TenantContext(finance, tenant_a.partnership)
    assert can_see_school_private(context, first, InformationCategory.CONTRIBUTION)
    assert not can_see_school_private(context, first, InformationCategory.STAFF_CONTACTS)


def test_a_finance_officer_of_a_school_that_is_not_the_banker_sees_only_their_own(tenant_a, first, client_for):
    finance = _user_with(tenant_a, Role.FINANCE_OFFICER, tenant_a.schools[1])
    body = _page(client_for(finance), tenant_a, first).content.decode()
    assert HEADCOUNT not in body and BUDGET not in body
    context = TenantContext(finance, tenant_a.partnership)
    assert not can_see_school_private(context, first, InformationCategory.CONTRIBUTION)
    assert can_see_school_private(context, tenant_a.schools[1], InformationCategory.CONTRIBUTION)


def test_an_adviser_sees_only_the_schools_they_are_assigned(tenant_a, first, client_for):
    adviser = _user_with(tenant_a, Role.ADVISER, tenant_a.schools[1])
    body = _page(client_for(adviser), tenant_a, first).content.decode()
    assert DEPUTY_EMAIL not in body and HEADCOUNT not in body


def test_sharing_census_figures_with_headteachers_shows_them_to_heads_only(tenant_a, first, client_for):
    _share(tenant_a, share_census=SharedWith.HEADTEACHERS)
    other_head = _user_with(tenant_a, Role.HEADTEACHER, tenant_a.schools[1])
    governor = _user_with(tenant_a, Role.GOVERNOR, tenant_a.schools[1])
    head_body = _page(client_for(other_head), tenant_a, first).content.decode()
    assert HEADCOUNT in head_body and BUDGET not in head_body and DEPUTY_EMAIL not in head_body
    assert "This school&#x27;s people and their contact details and budget are not shared with you" in head_body
    assert HEADCOUNT not in _page(client_for(governor), tenant_a, first).content.decode()
    assert client_for(other_head).get(f"/p/{tenant_a.slug}/members/{first.urn}/census/").status_code == 403


def test_sharing_with_everyone_in_the_partnership_shows_people_and_budget(tenant_a, first, client_for):
    _share(tenant_a, share_staff_contacts=SharedWith.PARTNERSHIP, share_budget=SharedWith.PARTNERSHIP)
    governor = _user_with(tenant_a, Role.GOVERNOR, tenant_a.schools[1])
    body = _page(client_for(governor), tenant_a, first).content.decode()
    assert DEPUTY_EMAIL in body and BUDGET in body and HEADCOUNT not in body
    assert "This school&#x27;s census figures are not shared with you" in body


def test_the_people_page_keeps_another_schools_governors_and_deputies_private(tenant_a, first, client_for):
    private = _user_with(tenant_a, Role.CHAIR_OF_GOVERNORS, first)
    other_head = _user_with(tenant_a, Role.HEADTEACHER, tenant_a.schools[1])
    url = f"/p/{tenant_a.slug}/people/"
    body = client_for(other_head).get(url).content.decode()
    assert private.email not in body
    assert tenant_a.headteacher.email in body  # a headteacher is every school's contact
    assert "No roles to show." in client_for(other_head).get(url, {"q": private.email}).content.decode()
    assert private.email in client_for(tenant_a.coordinator).get(url).content.decode()
    own_head = tenant_a.headteacher
    assert private.email in client_for(own_head).get(url).content.decode()
    _share(tenant_a, share_staff_contacts=SharedWith.HEADTEACHERS)
    assert private.email in client_for(other_head).get(url).content.decode()


def test_the_constitution_page_and_form_say_and_set_what_is_shared(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    page = f"/p/{tenant_a.slug}/constitution/information/change/"
    form = client.get(page).content.decode()
    assert (
        "Who else sees each school&#x27;s census figures" in form and "Every member school&#x27;s headteachers" in form
    )
    response = client.post(
        page,
        {
            "share_staff_contacts": "nobody_else",
            "share_census": "headteachers",
            "share_budget": "nobody_else",
            "share_contributions": "partnership",
            "information_sharing": "Census figures are shared among the heads to plan joint work.",
        },
    )
    assert response.status_code == 302
    c = constitution_of(tenant_a.partnership)
    assert (c.share_census, c.share_contributions, c.share_budget) == ("headteachers", "partnership", "nobody_else")
    body = client.get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    assert "Every member school&#x27;s headteachers, and the school&#x27;s own people" in body
    assert "Census figures are shared among the heads to plan joint work." in body


def test_a_sharing_choice_that_does_not_exist_is_refused_next_to_the_field(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    response = client.post(f"/p/{tenant_a.slug}/constitution/information/change/", {"share_census": "the press"})
    assert response.status_code == 400
    assert constitution_of(tenant_a.partnership).share_census == SharedWith.NOBODY_ELSE


def test_every_category_is_private_until_the_constitution_shares_it(tenant_a):
    c = Constitution(partnership=tenant_a.partnership)
    assert {c.shared_with(category) for category in InformationCategory} == {SharedWith.NOBODY_ELSE}


def test_the_people_page_runs_a_constant_number_of_queries_for_a_head(tenant_a, first, client_for):
    def grow():
        for school in tenant_a.schools:
            for _ in range(3):
                give_role(UserFactory(), tenant_a.partnership, Role.GOVERNOR, school)

    assert_constant_queries(client_for(tenant_a.headteacher), f"/p/{tenant_a.slug}/people/", grow=grow)


def test_the_school_page_of_another_school_runs_a_constant_number_of_queries(tenant_a, first, client_for):
    other_head = _user_with(tenant_a, Role.HEADTEACHER, tenant_a.schools[1])

    def grow():
        for n in range(3):
            PersonFactory(
                partnership=tenant_a.partnership,
                school=first,
                full_name=f"Head {n}",
                position=Person.Position.HEADTEACHER,
            )
            CensusFactory(school=first, year=2020 + n)

    url = f"/p/{tenant_a.slug}/members/{first.urn}/"
    assert_constant_queries(client_for(other_head), url, grow=grow)
