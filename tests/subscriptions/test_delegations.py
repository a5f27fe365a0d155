"""A headteacher names a colleague to book for the school: the colleague then books adviser time and
event places; withdrawing it, the headteacher leaving the role or the colleague leaving theirs each stop
it at once (nothing is stored that could outlive the roles); a deputy who is not named books nothing;
another school's headteacher names nobody for this school; bad input gets a message at its field."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.models import OutboxMessage
from core.testing import assert_constant_queries
from partnerships.models import RoleAssignment
from partnerships.roles import Role
from subscriptions.models import Booking, BookingDelegation
from subscriptions.selectors import delegated_school_ids
from subscriptions.services.delegations import delegation_grant, delegation_withdraw
from subscriptions.services.events import event_create
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.partnerships import give_role
from tests.factories.subscriptions import subscribed, tariff

D = datetime.date
TODAY = D(2026, 10, 1)  # the clock fixture's day (conftest.py)


@pytest.fixture
def deputy(tenant_a):
    user = UserFactory(full_name="Dee Deputy")
    with scopes_disabled():
        give_role(user, tenant_a.partnership, Role.DEPUTY, tenant_a.schools[0])
        RoleAssignment.objects.filter(user=user).update(start=D(2024, 9, 1))
    return user


def _grant(tenant, deputy, **kwargs):
    with scopes_disabled():
        return delegation_grant(
            actor=tenant.headteacher,
            partnership=tenant.partnership,
            school=tenant.schools[0],
            delegate=deputy,
            **({"start": TODAY} | kwargs),
        )


def _book_pages(tenant, subscription, items):
    item = items["network"]
    starts = datetime.datetime(2026, 11, 10, 9, 30, tzinfo=datetime.UTC)
    with scopes_disabled():
        event = event_create(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            title="Network",
            item=item,
            starts=starts,
            whole_day=False,
            capacity=30,
        )
    base = f"/p/{tenant.slug}/subscriptions"
    return f"{base}/{subscription.pk}/book/", f"{base}/events/{event.pk}/book/"


def _may_book(client, pages) -> list[int]:
    return [client.get(url).status_code for url in pages]


@pytest.mark.django_db
def test_a_named_colleague_books_adviser_time_and_event_places(tenant_a, clock, deputy):
    subscription = subscribed(tenant_a)
    items = tariff(tenant_a.partnership)
    pages = _book_pages(tenant_a, subscription, items)
    client = signed_in(deputy)
    assert _may_book(client, pages) == [403, 403]  # a deputy books only when named
    _grant(tenant_a, deputy)
    assert _may_book(client, pages) == [200, 200]
    visit = items["visit"]
    data = {"item": visit.pk, "on": "2026-11-02", "hours": "2", "confirm": "True"}
    assert client.post(pages[0], data).status_code == 302
    with scopes_disabled():
        assert Booking.objects.get().booked_by == deputy


@pytest.mark.django_db
def test_the_headteacher_names_and_withdraws_through_the_page_with_audit_and_email(tenant_a, clock, deputy):
    subscription = subscribed(tenant_a)
    head = signed_in(tenant_a.headteacher)
    url = f"/p/{tenant_a.slug}/subscriptions/schools/{subscription.school_id}/bookers/"
    assert "Who may book" in head.get(f"/p/{tenant_a.slug}/subscriptions/{subscription.pk}/").content.decode()
    page = head.get(url)
    assert page.status_code == 200 and "Dee Deputy" in page.content.decode()
    response = head.post(url, {"delegate": deputy.pk, "start": "2026-10-01", "end": "2027-07-22"})
    assert response.status_code == 302
    with scopes_disabled():
        delegation = BookingDelegation.objects.get()
        assert (delegation.start, delegation.end, delegation.given_by) == (TODAY, D(2027, 7, 22), tenant_a.headteacher)
        assert delegated_school_ids(deputy, tenant_a.partnership) == {tenant_a.schools[0].pk}
    assert "May book" in head.get(url).content.decode()
    withdraw = f"/p/{tenant_a.slug}/subscriptions/bookers/{delegation.pk}/withdraw/"
    assert head.get(withdraw).status_code == 200
    assert head.post(withdraw).status_code == 302
    with scopes_disabled():
        assert not delegated_school_ids(deputy, tenant_a.partnership)
        actions = list(
            AuditEvent.objects.filter(action__startswith="subscriptions.delegation")
            .order_by("pk")
            .values_list("action")
        )
        assert actions == [("subscriptions.delegation_given",), ("subscriptions.delegation_withdrawn",)]
        subjects = sorted(OutboxMessage.objects.filter(recipient=deputy.email).values_list("subject", flat=True))
    school = tenant_a.schools[0].name
    assert subjects == [f"You may now book for {school}", f"You no longer book for {school}"]
    # The deputy cannot name or withdraw: that is the headteacher's.
    assert signed_in(deputy).get(url).status_code == 403
    assert signed_in(deputy).post(withdraw).status_code == 403


def _end_role(user, tenant) -> None:
    with scopes_disabled():
        RoleAssignment.objects.filter(user=user, partnership=tenant.partnership).update(
            end=TODAY - datetime.timedelta(1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["withdrawn", "head_left", "colleague_left", "ended", "not_started"])
def test_the_colleague_stops_booking_when_it_is_withdrawn_or_a_role_or_its_dates_end(tenant_a, clock, deputy, how):
    subscription = subscribed(tenant_a)
    pages = _book_pages(tenant_a, subscription, tariff(tenant_a.partnership))
    dates = {"ended": {"start": D(2026, 9, 1), "end": D(2026, 9, 30)}, "not_started": {"start": D(2026, 10, 2)}}
    if how == "ended":
        with scopes_disabled():  # an old naming, written before its last day passed
            BookingDelegation.objects.create(
                partnership=tenant_a.partnership,
                school=tenant_a.schools[0],
                delegate=deputy,
                given_by=tenant_a.headteacher,
                **dates["ended"],
            )
    else:
        delegation = _grant(tenant_a, deputy, **dates.get(how, {}))
    if how == "withdrawn":
        with scopes_disabled():
            delegation_withdraw(actor=tenant_a.headteacher, delegation=delegation)
    elif how == "head_left":
        _end_role(tenant_a.headteacher, tenant_a)
    elif how == "colleague_left":
        _end_role(deputy, tenant_a)
    expected = [404, 404] if how == "colleague_left" else [403, 403]  # without a role, nothing of the school
    with scopes_disabled():
        assert not delegated_school_ids(deputy, tenant_a.partnership)
    if how == "colleague_left":
        return  # no role in the partnership at all: the pages 404 before anything is asked
    assert _may_book(signed_in(deputy), pages) == expected


@pytest.mark.django_db
def test_a_new_headteacher_does_not_inherit_nor_revive_a_leaver_s_naming(tenant_a, clock, deputy):
    _grant(tenant_a, deputy)
    _end_role(tenant_a.headteacher, tenant_a)
    newcomer = UserFactory()
    with scopes_disabled():
        give_role(newcomer, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[0])
        RoleAssignment.objects.filter(user=newcomer).update(start=TODAY)
        assert not delegated_school_ids(deputy, tenant_a.partnership)


@pytest.mark.django_db
def test_another_school_s_headteacher_names_nobody_for_this_school(tenant_a, clock, deputy):
    other_head = UserFactory()
    with scopes_disabled():
        give_role(other_head, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
        with pytest.raises(ValidationError, match="Only the headteacher"):
            delegation_grant(
                actor=other_head,
                partnership=tenant_a.partnership,
                school=tenant_a.schools[0],
                delegate=deputy,
                start=TODAY,
            )
        delegation = _grant(tenant_a, deputy)
        with pytest.raises(ValidationError, match="Only the headteacher"):
            delegation_withdraw(actor=other_head, delegation=delegation)
        assert BookingDelegation.objects.get().withdrawn_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"start": "2026-10-05", "end": "2026-10-04"}, "end", "on or after the first day"),
        ({"start": "2026-10-05", "end": "2026-13-04"}, "end", "last day must be a real date"),
        ({"start": ""}, "start", "the first day"),
        ({"delegate": ""}, "delegate", "the colleague who may book"),
        ({"delegate": "stranger"}, "delegate", "the colleague who may book"),
    ],
)
def test_bad_namings_get_a_message_at_the_field_and_nothing_changes(tenant_a, clock, deputy, data, field, says):
    subscription = subscribed(tenant_a)
    stranger = UserFactory()  # holds a role for the other school only
    with scopes_disabled():
        give_role(stranger, tenant_a.partnership, Role.DEPUTY, tenant_a.schools[1])
    data = {"delegate": deputy.pk, "start": "2026-10-01"} | data
    if data["delegate"] == "stranger":
        data["delegate"] = stranger.pk
    url = f"/p/{tenant_a.slug}/subscriptions/schools/{subscription.school_id}/bookers/"
    response = signed_in(tenant_a.headteacher).post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="{field}-error"' in page or f'id="id_{field}-error"' in page or says in page
    assert says in page
    with scopes_disabled():
        assert not BookingDelegation.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_colleague_with_no_role_at_the_school_by_the_field(tenant_a, clock):
    stranger = UserFactory()
    with scopes_disabled():
        give_role(stranger, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[1])
        with pytest.raises(ValidationError) as refused:
            _grant(tenant_a, stranger)
        assert "holds none" in refused.value.message_dict["delegate"][0]
        with pytest.raises(ValidationError) as refused:
            _grant(tenant_a, stranger, start=D(2026, 10, 5), end=D(2026, 10, 4))
        assert "end" in refused.value.message_dict
        assert not BookingDelegation.objects.exists()


@pytest.mark.django_db
def test_a_head_whose_school_does_not_subscribe_still_names_who_books(tenant_a, clock, deputy):
    """Places at open events are paid for without credits, so naming a booker hangs off the school, not
    off a subscription; the subscriptions page links to it for the head and for nobody else."""
    school = tenant_a.schools[0]
    head = signed_in(tenant_a.headteacher)
    index = head.get(f"/p/{tenant_a.slug}/subscriptions/").content.decode()
    url = f"/p/{tenant_a.slug}/subscriptions/schools/{school.pk}/bookers/"
    assert f'href="{url}"' in index and f"Who may book for {school.name}" in index
    assert f'href="{url}"' not in signed_in(deputy).get(f"/p/{tenant_a.slug}/subscriptions/").content.decode()
    assert head.post(url, {"delegate": deputy.pk, "start": "2026-10-01"}).status_code == 302
    with scopes_disabled():
        assert delegated_school_ids(deputy, tenant_a.partnership) == {school.pk}
    # The deputy cannot name anyone; another partnership's school is not there at all.
    assert signed_in(deputy).get(url).status_code == 403
    assert head.get(f"/p/{tenant_a.slug}/subscriptions/schools/999999/bookers/").status_code == 404


# --- The bookers' download ---------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _bookers_export(tenant, school, fmt):
    return reverse(
        "subscriptions:bookers_export", kwargs={"partnership_slug": tenant.slug, "school_pk": school.pk, "fmt": fmt}
    )


def _named(tenant, school, delegate, **fields):
    with scopes_disabled():
        return BookingDelegation.objects.create(
            partnership=tenant.partnership, school=school, delegate=delegate, given_by=tenant.headteacher, **fields
        )


@pytest.mark.django_db
def test_the_headteacher_downloads_who_may_book_as_the_page_lists_it(tenant_a, tenant_b, clock, deputy):
    school = tenant_a.schools[0]
    _grant(tenant_a, deputy, end=D(2027, 7, 22))
    bursar = UserFactory(full_name=FORMULA)
    later = UserFactory(full_name="", email="later@example.org")
    with scopes_disabled():
        give_role(bursar, tenant_a.partnership, Role.FINANCE_OFFICER, school)
        give_role(later, tenant_a.partnership, Role.DEPUTY, school)
    _named(
        tenant_a, school, bursar, start=D(2025, 9, 1), withdrawn_at=timezone.now(), withdrawn_by=tenant_a.headteacher
    )
    _named(tenant_a, school, later, start=D(2026, 11, 2))
    _named(tenant_a, tenant_a.schools[1], UserFactory(full_name="Other School Booker"), start=D(2025, 9, 1))
    _named(tenant_b, tenant_b.schools[0], UserFactory(full_name="Beta Booker"), start=D(2025, 9, 1))

    response = signed_in(tenant_a.headteacher).get(_bookers_export(tenant_a, school, "csv"))
    rows = csv_rows(response)
    head = tenant_a.headteacher.full_name
    assert rows == [
        ["Colleague", "Named by", "From", "To", "Today"],
        ["later@example.org", head, "2026-11-02", "", "Not started"],
        ["Dee Deputy", head, "2026-10-01", "2027-07-22", "May book"],
        ["'" + FORMULA, head, "2025-09-01", "", "Withdrawn"],
    ]
    for hidden in (b"Other School Booker", b"Beta Booker"):
        assert hidden not in response.content

    sheet = xlsx_rows(signed_in(tenant_a.headteacher).get(_bookers_export(tenant_a, school, "xlsx")))
    assert sheet[2][2:4] == (datetime.datetime(2026, 10, 1), datetime.datetime(2027, 7, 22))
    page = signed_in(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/subscriptions/schools/{school.pk}/bookers/")
    assert _bookers_export(tenant_a, school, "xlsx") in page.content.decode()


@pytest.mark.django_db
def test_only_the_schools_headteacher_downloads_its_bookers(tenant_a, tenant_b, clock, deputy):
    school = tenant_a.schools[0]
    _grant(tenant_a, deputy)
    assert signed_in(deputy).get(_bookers_export(tenant_a, school, "csv")).status_code == 403
    other_head = UserFactory()
    with scopes_disabled():
        give_role(other_head, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    assert signed_in(other_head).get(_bookers_export(tenant_a, school, "csv")).status_code == 404
    beta = _bookers_export(tenant_a, tenant_b.schools[0], "csv")
    assert signed_in(tenant_a.headteacher).get(beta).status_code == 404
    assert signed_in(tenant_a.headteacher).post(beta).status_code == 404  # a 405 would say the school is there
    assert signed_in(tenant_a.headteacher).get(_bookers_export(tenant_a, school, "ods")).status_code == 404


@pytest.mark.django_db
def test_the_bookers_download_runs_the_same_queries_for_one_colleague_and_many(tenant_a, clock, deputy):
    school = tenant_a.schools[0]
    _grant(tenant_a, deputy)

    def grow():
        for n in range(30):
            colleague = UserFactory()
            give_role(colleague, tenant_a.partnership, Role.DEPUTY, school)
            _named(tenant_a, school, colleague, start=D(2025, 9, 1), end=D(2026, 7, 22) if n % 2 else None)

    url = _bookers_export(tenant_a, school, "xlsx")
    assert_constant_queries(signed_in(tenant_a.headteacher), url, grow=grow, at_most=7)
    assert len(xlsx_rows(signed_in(tenant_a.headteacher).get(url))) == 32
