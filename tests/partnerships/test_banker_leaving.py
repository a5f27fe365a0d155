"""The banker school leaving: notice from it warns that a new banker school must be chosen before its
leaving date, the coordinator's dashboard says so until one is, the constitution says when it has gone,
and a school that has left cannot be chosen as the banker."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import LeavingNotice, Membership
from partnerships.roles import Role
from partnerships.selectors.constitution import banker_departure
from partnerships.services.constitution import constitution_update
from partnerships.services.membership import leaving_notice_record
from tests.clock import on_day, roles_held_since
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role, make_terms

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 10)  # the spring term of 2025/26 in tests.factories.partnerships.TERM_DATES
SUMMER_ENDS = D(2026, 7, 22)  # notice in the spring term, one term's notice: the end of the summer term
SINCE = D(2020, 9, 1)


@pytest.fixture(autouse=True)
def _roles_held(tenant_a):
    roles_held_since(tenant_a.partnership, SINCE)


def membership_of(tenant, index=0) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(partnership=tenant.partnership, school=tenant.schools[index])


@pytest.fixture
def banker(tenant_a):
    """tenant_a's first school holds the funds."""
    make_terms(tenant_a.partnership)
    constitution_update(
        actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"banker_school": tenant_a.schools[0]}
    )
    return tenant_a.schools[0]


def give_notice(tenant, index=0, **kwargs):
    values = {"received_on": D(2026, 1, 7), "method": "email", "given_by": "Sam Patel, headteacher", "today": TODAY}
    return leaving_notice_record(
        actor=tenant.coordinator, membership=membership_of(tenant, index), **{**values, **kwargs}
    )


def dashboard(tenant, client, day=TODAY) -> str:
    with on_day(day):
        return client.get(f"/p/{tenant.slug}/").content.decode()


def constitution_page(tenant, client, day) -> str:
    with on_day(day):
        return client.get(f"/p/{tenant.slug}/constitution/").content.decode()


# --- Recording notice from the banker school -----------------------------------------------------------


def test_notice_from_the_banker_school_warns_that_a_new_banker_must_be_chosen_before_it_leaves(
    tenant_a, banker, client_for
):
    client = client_for(tenant_a.coordinator)
    membership = membership_of(tenant_a)
    form_url = f"/p/{tenant_a.slug}/membership/{membership.pk}/notice/"
    with on_day(TODAY):
        form = client.get(form_url).content.decode()
        response = client.post(
            form_url,
            {"received_on": "2026-01-07", "method": "email", "given_by": "Sam Patel, headteacher"},
            follow=True,
        )
    assert f"{banker.name} is the banker school. If it leaves, a new banker school must be chosen" in form
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain
    assert (
        f"{banker.name}, the banker school, leaves the partnership on 22 July 2026. "
        "A new banker school must be chosen before 22 July 2026."
    ) in page
    assert f'href="/p/{tenant_a.slug}/constitution/money/change/"' in page
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="membership.notice_received").get()
    assert event.data["banker_school"] is True
    assert "it is the banker school, so a new banker school must be chosen" in event.summary


def test_notice_from_another_school_says_nothing_of_the_banker(tenant_a, banker, client_for):
    notice = give_notice(tenant_a, index=1)
    with on_day(TODAY):
        page = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/membership/notices/{notice.pk}/")
    body = page.content.decode()
    # The refund rule may say who holds the money; nothing warns that the banker school is leaving.
    assert "must be chosen" not in body and "Choose a new banker school" not in body
    assert "the banker school, leaves" not in body
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="membership.notice_received").get().data["banker_school"] is False


# --- The coordinator's dashboard -----------------------------------------------------------------------


def test_the_coordinators_dashboard_warns_until_a_different_banker_school_is_chosen(tenant_a, banker, client_for):
    coordinator = client_for(tenant_a.coordinator)
    warning = f"{banker.name}, the banker school, leaves the partnership on 22 July 2026"
    assert warning not in dashboard(tenant_a, coordinator)
    give_notice(tenant_a)
    page = dashboard(tenant_a, coordinator)
    assert warning in page and "A new banker school must be chosen before 22 July 2026" in page
    assert "Choose a new banker school" in page
    constitution_update(
        actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"banker_school": tenant_a.schools[1]}
    )
    assert "banker school" not in dashboard(tenant_a, coordinator)


def test_only_the_coordinator_sees_the_warning(tenant_a, banker, client_for):
    give_notice(tenant_a)
    chair, finance = UserFactory(), UserFactory()
    give_role(chair, tenant_a.partnership, Role.CHAIR, start=SINCE)
    give_role(finance, tenant_a.partnership, Role.FINANCE_OFFICER, banker, start=SINCE)
    assert "A new banker school must be chosen" in dashboard(tenant_a, client_for(tenant_a.coordinator))
    for user in (tenant_a.headteacher, chair, finance):
        assert "banker school" not in dashboard(tenant_a, client_for(user)), user


def test_the_warning_goes_when_the_notice_is_withdrawn(tenant_a, banker):
    give_notice(tenant_a)
    with scopes_disabled():
        assert banker_departure(tenant_a.partnership, on=TODAY).leaving_on == SUMMER_ENDS
        LeavingNotice.objects.all().delete()
        Membership.objects.filter(pk=membership_of(tenant_a).pk).update(left=None)
        assert banker_departure(tenant_a.partnership, on=TODAY) is None


def test_after_its_last_day_the_dashboard_says_no_banker_school_is_in_place(tenant_a, banker, client_for):
    give_notice(tenant_a)
    page = dashboard(tenant_a, client_for(tenant_a.coordinator), day=SUMMER_ENDS + datetime.timedelta(days=1))
    assert (
        f"{banker.name}, the banker school, left the partnership on 22 July 2026. No banker school is in place: "
        "choose a new banker school."
    ) in page


# --- The constitution page -----------------------------------------------------------------------------


def test_the_constitution_shows_the_banker_leaving_and_then_gone(tenant_a, banker, client_for):
    client = client_for(tenant_a.headteacher)
    assert f'<dd class="govuk-summary-list__value">{banker.name}</dd>' in constitution_page(tenant_a, client, TODAY)
    give_notice(tenant_a)
    before = constitution_page(tenant_a, client, TODAY)
    assert (
        f"{banker.name}, until 22 July 2026, its last day as a member. A new banker school must be chosen before then"
    ) in before
    on_the_day = constitution_page(tenant_a, client, SUMMER_ENDS)
    assert f"{banker.name}, until today, its last day as a member. From tomorrow no banker school is in place" in (
        on_the_day
    )
    after = constitution_page(tenant_a, client, SUMMER_ENDS + datetime.timedelta(days=1))
    assert f"None in place: {banker.name}, the banker school, left the partnership on 22 July 2026" in after


# --- Choosing the banker school ------------------------------------------------------------------------


def test_a_school_that_has_left_cannot_be_chosen_as_the_banker(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
    give_notice(tenant_a, index=1)  # leaves on 22 July 2026
    with on_day(SUMMER_ENDS):  # its last day: still a member
        constitution_update(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"banker_school": tenant_a.schools[1]}
        )
    constitution_update(actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"banker_school": None})
    with on_day(SUMMER_ENDS + datetime.timedelta(days=1)), pytest.raises(ValidationError) as caught:
        constitution_update(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"banker_school": tenant_a.schools[1]}
        )
    assert caught.value.message_dict == {
        "banker_school": [
            f"{tenant_a.schools[1].name} left the partnership on 22 July 2026: choose a current member school as "
            "the banker school"
        ]
    }
