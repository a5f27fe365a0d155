"""Events with places: network events cost credits per attendee by the tariff (half or whole day), open
events cost money, more for non-members; capacity and the per-school allowance are refused with nothing
changed; a school without a subscription cannot book credits; a cancellation refunds and offers the freed
place to the first school waiting by email; attendance is taken on the day; the pages' queries do not
grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.models import OutboxMessage
from core.testing import assert_constant_queries
from finance.models import LedgerEntry
from finance.services.years import financial_year_open
from partnerships.calendar import financial_year_of
from subscriptions.models import CreditEntry, Event, EventPlaces
from subscriptions.selectors import places_allowance
from subscriptions.services.attendance import attendance_record
from subscriptions.services.events import event_cancel, event_change, event_create
from subscriptions.services.places import (
    offers_expire,
    places_book,
    places_cancel,
    places_invoice,
    places_offer_accept,
    places_taken,
)
from subscriptions.services.plans import plan_forums_set
from tests.clock import on_day, roles_held_since
from tests.factories.accounts import signed_in
from tests.factories.partnerships import member_school_with_head
from tests.factories.schools import SchoolFactory
from tests.factories.subscriptions import balance, subscribed, tariff

D = datetime.date
P = EventPlaces.Status
SINCE = D(2024, 9, 1)
EVENT_DAY = D(2026, 11, 10)


def _event(tenant, item, *, whole_day=True, capacity=30, per_school=None, day=EVENT_DAY, title=None, forum=""):
    starts = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    with scopes_disabled():
        return event_create(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            title=title or f"{item.name} {'day' if whole_day else 'morning'}",
            item=item,
            starts=starts,
            whole_day=whole_day,
            capacity=capacity,
            places_per_school=per_school,
            forum=forum,
        )


def _book(tenant, event, *, school=None, places=1, actor=None, **kwargs):
    with scopes_disabled():
        return places_book(
            actor=actor or tenant.headteacher,
            event=event,
            school=school if school is not None or kwargs.get("organisation") else tenant.schools[0],
            places=places,
            **kwargs,
        )


@pytest.mark.django_db
def test_two_attendees_at_a_whole_day_network_cost_4_credits_and_one_at_a_half_day_costs_1(tenant_a, clock):
    subscription = subscribed(tenant_a)
    network = tariff(tenant_a.partnership)["network"]
    whole = _book(tenant_a, _event(tenant_a, network, whole_day=True), places=2)
    assert whole.credits == 4 and balance(subscription) == 56
    half = _book(tenant_a, _event(tenant_a, network, whole_day=False), places=1)
    assert half.credits == 1 and balance(subscription) == 55
    with scopes_disabled():
        assert list(
            CreditEntry.objects.filter(subscription=subscription, kind="booking").values_list("amount", flat=True)
        ) == [Decimal("-4"), Decimal("-1")]
        assert AuditEvent.objects.filter(action="subscriptions.places_booked").count() == 2


@pytest.mark.django_db
def test_an_open_event_costs_no_credits_and_a_non_member_pays_more(tenant_a, clock):
    subscription = subscribed(tenant_a)
    conference = _event(tenant_a, tariff(tenant_a.partnership)["conference"])
    member = _book(tenant_a, conference, places=2)
    outsider = SchoolFactory(name="Hillside Academy")  # not a member of the partnership
    non_member = _book(tenant_a, conference, school=outsider, places=2, actor=tenant_a.coordinator)
    by_name = _book(tenant_a, conference, organisation="Surrey Teaching Hub", places=1, actor=tenant_a.coordinator)
    assert member.credits == non_member.credits == 0 and balance(subscription) == 60
    assert (member.member, member.price, member.amount) == (True, Decimal("95.00"), Decimal("190.00"))
    assert (non_member.member, non_member.price) == (False, Decimal("140.00"))
    assert non_member.amount > member.amount
    assert by_name.school is None and by_name.price == Decimal("140.00") and by_name.who == "Surrey Teaching Hub"


@pytest.mark.django_db
def test_capacity_and_the_per_school_allowance_are_refused_with_nothing_changed(tenant_a, clock):
    subscription = subscribed(tenant_a)
    network = tariff(tenant_a.partnership)["network"]
    forum = _event(tenant_a, network, per_school=2, capacity=3, title="School improvement forum")
    _book(tenant_a, forum, places=2)
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, forum, places=1)
    assert "Each school may have 2 places at School improvement forum" in refused.value.message_dict["places"][0]
    other, _ = member_school_with_head(tenant_a.partnership, name="Coombe Hill Infants", head_since=SINCE)
    subscribed(tenant_a, school=other, plan=subscription.plan)
    with pytest.raises(ValidationError) as full:
        _book(tenant_a, forum, school=other, places=2)
    assert full.value.message_dict["places"] == [
        "There is only 1 place left at School improvement forum: book fewer, or join the waiting list"
    ]
    with scopes_disabled():
        assert EventPlaces.objects.count() == 1
    assert balance(subscription) == 56


@pytest.mark.django_db
def test_a_school_without_a_subscription_cannot_book_a_network_event_for_credits(tenant_a, clock):
    network = _event(tenant_a, tariff(tenant_a.partnership)["network"])
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, network, places=1)
    assert "does not subscribe for 2026/27" in refused.value.message_dict["places"][0]
    with scopes_disabled():
        assert not EventPlaces.objects.exists()


@pytest.mark.django_db
def test_a_cancellation_refunds_the_credits_and_offers_the_place_to_the_first_school_waiting(tenant_a, clock):
    subscription = subscribed(tenant_a)
    network = tariff(tenant_a.partnership)["network"]
    event = _event(tenant_a, network, capacity=2, title="Phase network")
    booked = _book(tenant_a, event, places=2)
    first, first_head = member_school_with_head(tenant_a.partnership, name="Latchmere Primary", head_since=SINCE)
    second, second_head = member_school_with_head(tenant_a.partnership, name="Tolworth Juniors", head_since=SINCE)
    subscribed(tenant_a, school=first, plan=subscription.plan)
    subscribed(tenant_a, school=second, plan=subscription.plan)
    waiting_first = _book(tenant_a, event, school=first, actor=first_head, waiting=True)
    _book(tenant_a, event, school=second, actor=second_head, waiting=True)
    assert waiting_first.status == P.WAITING and waiting_first.credits == 0
    assert balance(subscription) == 56
    with scopes_disabled():
        places_cancel(actor=tenant_a.headteacher, places=booked)
        assert balance(subscription) == 60
        waiting_first.refresh_from_db()
        assert waiting_first.offered_at is not None and waiting_first.status == P.OFFERED
        message = OutboxMessage.objects.get(kind="event.place_offered", about=f"event-places:{waiting_first.pk}")
        assert message.recipient == first_head.email.lower()
        assert "A place has come free at Phase network" in message.text
        assert "Latchmere Primary is first on its waiting list" in message.text
        assert f"/subscriptions/events/{event.pk}/" in message.text
        assert AuditEvent.objects.filter(action="subscriptions.place_offered").count() == 2  # one place each
    # The school offered the place books it, which takes it off the waiting list.
    _book(tenant_a, event, school=first, actor=first_head)
    with scopes_disabled():
        waiting_first.refresh_from_db()
        assert waiting_first.status == P.CANCELLED


@pytest.mark.django_db
def test_the_register_is_taken_on_the_day_by_the_coordinator_and_attended_counts_its_ticks(tenant_a, clock):
    from subscriptions.models import EventAttendee

    subscribed(tenant_a)
    event = _event(tenant_a, tariff(tenant_a.partnership)["network"], day=D(2026, 10, 5))
    row = _book(tenant_a, event, places=2, attendees="Ann Teacher")
    with scopes_disabled():
        ann, unnamed = EventAttendee.objects.filter(places=row).order_by("position")
        assert (ann.name, unnamed.name) == ("Ann Teacher", "")
        with pytest.raises(ValidationError):
            attendance_record(actor=tenant_a.coordinator, event=event, came={ann.pk})  # not the day yet
    with on_day(D(2026, 10, 5)):
        client = signed_in(tenant_a.coordinator)
        url = f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/attendance/"
        page = client.get(url).content.decode()
        assert "Ann Teacher" in page and "Place 2, not named" in page
        assert client.post(url, {f"came_{ann.pk}": "on"}).status_code == 302
        with scopes_disabled():
            row.refresh_from_db()
            assert row.attended == 1
            assert list(EventAttendee.objects.filter(places=row).values_list("came", flat=True)) == [True, False]
            with pytest.raises(ValidationError):  # someone not on this register
                attendance_record(actor=tenant_a.coordinator, event=event, came={ann.pk + 1000})
        # Ticking again is the whole register again: untick Ann, tick the second place.
        assert client.post(url, {f"came_{unnamed.pk}": "on"}).status_code == 302
    with scopes_disabled():
        row.refresh_from_db()
        assert row.attended == 1
        assert list(EventAttendee.objects.filter(places=row).values_list("came", flat=True)) == [False, True]
        assert AuditEvent.objects.filter(action="subscriptions.event_attendance").count() == 2


@pytest.mark.django_db
def test_a_school_names_its_attendees_a_place_each_until_the_day(tenant_a, clock):
    from subscriptions.models import EventAttendee

    subscribed(tenant_a)
    event = _event(tenant_a, tariff(tenant_a.partnership)["network"], day=D(2026, 10, 5))
    with pytest.raises(ValidationError) as too_many:
        _book(tenant_a, event, places=1, attendees="Ann Teacher\nBen Teacher")
    assert too_many.value.message_dict["attendees"] == [
        "Name at most 1 person in who is coming, one a line: one for each place"
    ]
    row = _book(tenant_a, event, places=2)
    client = signed_in(tenant_a.headteacher)
    url = f"/p/{tenant_a.slug}/subscriptions/events/places/{row.pk}/names/"
    assert 'name="name_2"' in client.get(url).content.decode()
    bad = client.post(url, {"name_1": "A" * 151, "name_2": ""})
    assert bad.status_code == 400
    assert client.post(url, {"name_1": "Ann Teacher", "name_2": "Ben Teacher"}).status_code == 302
    with scopes_disabled():
        names = list(EventAttendee.objects.filter(places=row).values_list("name", flat=True))
        assert names == ["Ann Teacher", "Ben Teacher"]
        assert AuditEvent.objects.filter(action="subscriptions.attendees_named").count() == 1
    page = client.get(f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/").content.decode()
    assert "Ann Teacher, Ben Teacher" in page
    with on_day(D(2026, 10, 6)):
        assert client.post(url, {"name_1": "Cara Teacher", "name_2": ""}).status_code == 400  # the day has passed
    with scopes_disabled():
        assert EventAttendee.objects.filter(name="Cara Teacher").count() == 0


@pytest.mark.django_db
def test_a_headteacher_sees_the_cost_then_books_places_and_the_page_shows_them(tenant_a, clock):
    subscription = subscribed(tenant_a)
    event = _event(tenant_a, tariff(tenant_a.partnership)["network"], title="EAL network day")
    client = signed_in(tenant_a.headteacher)
    url = f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/book/"
    assert client.get(url).status_code == 200
    data = {"school": tenant_a.schools[0].pk, "places": "2", "attendees": "A. Teacher, B. Teacher"}
    check = client.post(url, data)
    page = check.content.decode()
    assert check.status_code == 200 and "Check the places" in page and "4 credits" in page
    with scopes_disabled():
        assert not EventPlaces.objects.exists()
    bad = client.post(url, data | {"places": "0"})
    assert bad.status_code == 400
    booked = client.post(url, data | {"confirm": "True"})
    assert booked.status_code == 302
    assert balance(subscription) == 56
    event_page = client.get(booked["Location"]).content.decode()
    assert "28 of 30" in event_page and tenant_a.schools[0].name in event_page


@pytest.mark.django_db
def test_the_events_list_and_event_page_run_a_constant_number_of_queries(tenant_a, clock):
    items = tariff(tenant_a.partnership)
    event = _event(tenant_a, items["conference"], capacity=500)
    client = signed_in(tenant_a.coordinator)

    def grow():
        for n in range(8):
            _event(tenant_a, items["conference"], title=f"Conference {n}")
            school = SchoolFactory()
            places_book(actor=tenant_a.coordinator, event=event, school=school, places=1)

    assert_constant_queries(client, f"/p/{tenant_a.slug}/subscriptions/events/", grow=grow, at_most=30)
    assert_constant_queries(client, f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/", grow=grow, at_most=30)


@pytest.mark.django_db
def test_another_partnership_cannot_see_or_book_an_event(tenant_a, tenant_b, clock):
    event = _event(tenant_a, tariff(tenant_a.partnership)["conference"])
    client = signed_in(tenant_b.coordinator)
    with scopes_disabled():
        roles_held_since(tenant_b.partnership, D(2024, 9, 1))
    for path in ("", "book/", "attendance/"):
        assert client.get(f"/p/{tenant_b.slug}/subscriptions/events/{event.pk}/{path}").status_code == 404
    with scopes_disabled():
        assert Event.objects.count() == 1


@pytest.mark.django_db
def test_the_coordinator_invoices_an_open_events_places_as_event_income_in_the_ledger(tenant_a, clock):
    conference = _event(tenant_a, tariff(tenant_a.partnership)["conference"])
    hub = _book(tenant_a, conference, organisation="Surrey Teaching Hub", places=2, actor=tenant_a.coordinator)
    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        places_invoice(actor=tenant_a.coordinator, places=hub)  # no financial year open yet
    assert "open it in Finance first" in refused.value.messages[0]
    with scopes_disabled():
        financial_year_open(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, start_year=financial_year_of(D(2026, 10, 1))
        )
    client = signed_in(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/subscriptions/events/places/{hub.pk}/invoice/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    with scopes_disabled():
        (entry,) = LedgerEntry.objects.filter(partnership=tenant_a.partnership)
        assert (entry.kind, entry.amount, entry.posted_on) == ("event_income", Decimal("280.00"), D(2026, 10, 1))
        assert "Surrey Teaching Hub" in entry.description
        assert AuditEvent.objects.filter(action="subscriptions.event_invoiced").exists()
    assert client.post(url).status_code == 400  # invoiced once only
    with scopes_disabled():
        assert LedgerEntry.objects.filter(partnership=tenant_a.partnership).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file")
@pytest.mark.django_db(transaction=True)
def test_twelve_schools_booking_at_once_fill_a_conference_of_eight_exactly(tenant_a, clock):
    """Twelve bookings of one place reach the server together; the event's row lock lets them count the
    places one at a time, so exactly eight are taken and four are refused."""
    import threading

    from django.db import connections

    conference = _event(tenant_a, tariff(tenant_a.partnership)["conference"], capacity=8)
    with scopes_disabled():
        schools = [SchoolFactory(name=f"Visiting school {n}") for n in range(12)]
    start = threading.Barrier(12)
    answers: list[str] = []

    def book(school):
        try:
            start.wait(timeout=30)
            with scopes_disabled():  # "today" is the clock fixture's, in every thread
                places_book(
                    actor=tenant_a.coordinator, event=conference, school=None, places=1, organisation=school.name
                )
            answers.append("booked")
        except ValidationError:
            answers.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(school,)) for school in schools]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == ["booked"] * 8 + ["refused"] * 4
    with scopes_disabled():
        assert sum(EventPlaces.objects.filter(event=conference, status=P.BOOKED).values_list("places", flat=True)) == 8


FORUM = "School improvement forum"


def _forums(tenant, plan, forums):
    with scopes_disabled():
        return plan_forums_set(actor=tenant.coordinator, plan=plan, forums=forums)


@pytest.mark.django_db
def test_a_forums_places_per_school_are_the_subscribing_schools_plan_else_the_events_own(tenant_a, clock):
    subscription = subscribed(tenant_a)
    _forums(tenant_a, subscription.plan, [(FORUM, 2), ("Secondary leadership forum", 2)])
    items = tariff(tenant_a.partnership)
    conference = _event(tenant_a, items["conference"], per_school=1, title=FORUM, forum=FORUM)
    outsider = SchoolFactory(name="Hillside Academy")  # subscribes to nothing: the event's own limit
    with scopes_disabled():
        assert places_allowance(conference, tenant_a.schools[0]) == 2
        assert places_allowance(conference, outsider) == 1
    _book(tenant_a, conference, places=2)
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, conference, places=1)
    assert refused.value.message_dict["places"] == [
        f"Each school may have 2 places at {FORUM}: {tenant_a.schools[0].name} has 2, so it may book 0 more"
    ]
    with pytest.raises(ValidationError) as outside:
        _book(tenant_a, conference, school=outsider, places=2, actor=tenant_a.coordinator)
    assert "Each school may have 1 place at" in outside.value.message_dict["places"][0]
    # The plan now gives three places: the school may book one more, and the event's own limit is untouched.
    _forums(tenant_a, subscription.plan, [(FORUM, 3)])
    _book(tenant_a, conference, places=1)
    with scopes_disabled():
        assert places_allowance(conference, outsider) == 1
        # An event that is no forum keeps its own limit for everyone, and none is no limit.
        plain = _event(tenant_a, items["conference"], per_school=None, title="Conference")
        assert places_allowance(plain, tenant_a.schools[0]) is None


@pytest.mark.django_db
def test_an_event_can_only_be_a_forum_that_a_plan_gives_places_at(tenant_a, clock):
    with pytest.raises(ValidationError) as refused:
        _event(tenant_a, tariff(tenant_a.partnership)["network"], forum="Primary deputies' forum")
    assert refused.value.message_dict["forum"] == ["Choose a forum that a plan gives places at, or none"]


@pytest.mark.django_db
def test_the_coordinator_sets_a_plans_forums_on_its_page_and_bad_rows_change_nothing(tenant_a, clock):
    from subscriptions.models import PlanForum

    plan = subscribed(tenant_a).plan
    _forums(tenant_a, plan, [(FORUM, 2)])
    client = signed_in(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/subscriptions/plans/{plan.pk}/forums/"
    page = client.get(url).content.decode()
    assert f'value="{FORUM}"' in page and 'name="forum_3"' in page  # the saved row and two spare ones
    for bad, field, says in (
        ({"forum_1": FORUM, "places_1": "0"}, "places_1", "Places per school at forum 1"),
        ({"forum_1": FORUM, "places_1": "2", "forum_2": FORUM.upper(), "places_2": "2"}, "forum_2", "once"),
        ({"forum_1": "", "places_1": "2"}, "forum_1", "Enter the name of forum 1"),
    ):
        answer = client.post(url, bad)
        assert answer.status_code == 400, bad
        assert says in answer.content.decode() and f'id="id_{field}-error"' in answer.content.decode()
    with scopes_disabled():
        assert list(PlanForum.objects.values_list("name", "places_per_school")) == [(FORUM, 2)]
    both = {"forum_1": FORUM, "places_1": "2", "forum_2": "Secondary leadership forum", "places_2": "2"}
    saved = client.post(url, both)
    assert saved.status_code == 302
    with scopes_disabled():
        assert PlanForum.objects.filter(plan=plan).count() == 2
        assert AuditEvent.objects.filter(action="subscriptions.plan_forums_set").count() == 2
    assert client.post(url, {}).status_code == 302  # every row empty: the plan includes no forum
    with scopes_disabled():
        assert not PlanForum.objects.exists()


def _waiting_line(tenant, *, capacity=2, first_wants=2):
    """A whole-day network of `capacity` places, all booked by the tenant's school; Latchmere waits for
    `first_wants` places, then Tolworth for 1. All three subscribe."""
    subscription = subscribed(tenant)
    event = _event(tenant, tariff(tenant.partnership)["network"], capacity=capacity, title="Phase network")
    booked = _book(tenant, event, places=capacity)
    line = []
    for name, wants in (("Latchmere Primary", first_wants), ("Tolworth Juniors", 1)):
        school, head = member_school_with_head(tenant.partnership, name=name, head_since=SINCE)
        line.append((subscribed(tenant, school=school, plan=subscription.plan), school, head))
        _book(tenant, event, school=school, actor=head, places=wants, waiting=True)
    return event, booked, line


def _row(event, school):
    with scopes_disabled():
        return EventPlaces.objects.exclude(status=P.CANCELLED).get(event=event, school=school)


@pytest.mark.django_db
def test_a_freed_place_is_held_for_the_school_offered_it_which_accepts_and_is_charged(tenant_a, clock):
    event, booked, [(first_sub, first, first_head), (_, second, second_head)] = _waiting_line(tenant_a)
    with scopes_disabled():
        places_cancel(actor=tenant_a.headteacher, places=booked)
    offered = _row(event, first)
    assert offered.status == P.OFFERED and offered.hold_until > timezone.now() + datetime.timedelta(hours=47)
    assert _row(event, second).status == P.WAITING  # the two free places are both held for Latchmere
    with scopes_disabled():
        message = OutboxMessage.objects.get(kind="event.place_offered")
        assert "We are holding the 2 places for you until" in message.text and message.html
    # While the offer is held no one else can take the places, not even at the booking page's check.
    with pytest.raises(ValidationError) as full:
        _book(tenant_a, event, school=second, actor=second_head, places=1)
    assert full.value.message_dict["places"] == ["Phase network is full: join the waiting list"]
    client = signed_in(first_head)
    page = client.get(f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/").content.decode()
    assert "Places held for Latchmere Primary" in page and "Full" in page
    url = f"/p/{tenant_a.slug}/subscriptions/events/places/{offered.pk}/accept/"
    confirm = client.get(url).content.decode()
    assert "4 credits" in confirm
    assert client.post(url).status_code == 302
    offered.refresh_from_db()
    assert (offered.status, offered.credits, offered.hold_until) == (P.BOOKED, Decimal("4"), None)
    with scopes_disabled():
        assert offered.register.count() == 2  # a row of the register for each place taken
    assert balance(first_sub) == 56
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="subscriptions.offer_accepted").count() == 1
        with pytest.raises(ValidationError):  # answered once only
            places_offer_accept(actor=first_head, places=offered)
    assert balance(first_sub) == 56


@pytest.mark.django_db
def test_declining_an_offer_passes_the_places_to_the_next_school_waiting(tenant_a, clock):
    event, booked, [(_, first, first_head), (_, second, _)] = _waiting_line(tenant_a, first_wants=1)
    with scopes_disabled():
        places_cancel(actor=tenant_a.headteacher, places=booked)
    # Two places came free: one each for the two schools waiting.
    assert _row(event, first).status == _row(event, second).status == P.OFFERED
    client = signed_in(first_head)
    url = f"/p/{tenant_a.slug}/subscriptions/events/places/{_row(event, first).pk}/decline/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    with scopes_disabled():
        assert not EventPlaces.objects.filter(event=event, school=first).exclude(status=P.CANCELLED).exists()
        assert AuditEvent.objects.filter(action="subscriptions.offer_declined").count() == 1


@pytest.mark.django_db
def test_an_offer_not_taken_in_time_lapses_hourly_and_goes_to_the_next_in_line(tenant_a, clock):
    from subscriptions.tasks import expire_event_offers_everywhere

    event, booked, [(_, first, first_head), (_, second, second_head)] = _waiting_line(tenant_a, first_wants=2)
    with scopes_disabled():
        places_cancel(actor=tenant_a.headteacher, places=booked)
        offered = _row(event, first)
        assert offers_expire(partnership=tenant_a.partnership) == 0  # still held: nothing lapses
        assert offers_expire(partnership=tenant_a.partnership, now=offered.hold_until) == 1
    assert _row(event, second).status == P.OFFERED  # the next in line is offered the places now free
    offered.refresh_from_db()
    assert offered.status == P.CANCELLED
    with scopes_disabled(), pytest.raises(ValidationError) as late:
        places_offer_accept(actor=first_head, places=offered)
    assert "No places are offered to Latchmere Primary" in late.value.messages[0]
    # Past its hold, an offer no longer keeps the places, even before the hourly sweep has run.
    with scopes_disabled():
        EventPlaces.objects.filter(event=event, school=second).update(hold_until=timezone.now())
        assert places_taken(event) == 0
        with pytest.raises(ValidationError) as ended:
            places_offer_accept(actor=second_head, places=_row(event, second))
        assert "The offer of places at Phase network ended" in ended.value.messages[0]
    assert expire_event_offers_everywhere() >= 1  # the beat task (run in process here)
    with scopes_disabled():
        assert EventPlaces.objects.filter(event=event, status=P.OFFERED).count() == 0
        assert AuditEvent.objects.filter(action="subscriptions.offer_lapsed").count() == 2


@pytest.mark.django_db
def test_the_coordinator_moves_an_event_and_everyone_with_places_is_told_but_places_stay_above_those_booked(
    tenant_a, clock
):
    subscribed(tenant_a)
    event = _event(tenant_a, tariff(tenant_a.partnership)["network"], capacity=10, title="Phase network")
    _book(tenant_a, event, places=2)
    client = signed_in(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/change/"
    assert 'value="10"' in client.get(url).content.decode()
    data = {"day": "2026-11-12", "start_time": "13:30", "capacity": "1", "venue": "Latchmere House"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "2 places are booked or held, so the event cannot have fewer than 2 places" in refused.content.decode()
    with scopes_disabled():
        event.refresh_from_db()
        assert (event.capacity, event.day, event.venue) == (10, EVENT_DAY, "")
        assert not OutboxMessage.objects.filter(kind="event.changed").exists()
        with pytest.raises(ValidationError) as next_year:  # its credits are 2026/27's
            event_change(
                actor=tenant_a.coordinator,
                event=event,
                starts=event.starts.replace(year=2027, month=9),
                venue="",
                capacity=10,
            )
        assert "Choose a date in 2026/27" in next_year.value.message_dict["day"][0]
        event_change(
            actor=tenant_a.coordinator,
            event=event,
            starts=event.starts + datetime.timedelta(days=2, hours=4),
            venue="Latchmere House",
            capacity=2,
        )
        event.refresh_from_db()
        assert (event.capacity, event.day, event.venue) == (2, D(2026, 11, 12), "Latchmere House")
        (message,) = OutboxMessage.objects.filter(kind="event.changed")
        assert message.recipient == tenant_a.headteacher.email.lower()
        assert "It is now on Thursday 12 November 2026 at 13:30, at Latchmere House" in message.text
        assert AuditEvent.objects.filter(action="subscriptions.event_changed").count() == 1


@pytest.mark.django_db
def test_cancelling_a_network_event_refunds_every_school_in_full_closes_the_list_and_tells_everyone(tenant_a, clock):
    event, booked, [(first_sub, first, first_head), _] = _waiting_line(tenant_a)
    other, other_head = member_school_with_head(tenant_a.partnership, name="Coombe Hill Infants", head_since=SINCE)
    with scopes_disabled():
        event.capacity = 4
        event.save(update_fields=["capacity"])
    subscribed(tenant_a, school=other, plan=first_sub.plan)
    with scopes_disabled(), on_day(EVENT_DAY - datetime.timedelta(days=2)):  # inside the plan's cut-off
        late = places_book(actor=other_head, event=event, school=other, places=2)
    client = signed_in(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/subscriptions/events/{event.pk}/cancel/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    with scopes_disabled():
        assert Event.objects.get(pk=event.pk).status == Event.Status.OPEN
    assert client.post(url, {"reason": "The speaker is ill"}).status_code == 302
    assert balance(booked.subscription) == 60  # the 4 credits of the tenant's school back
    with scopes_disabled():
        late.refresh_from_db()
        assert CreditEntry.objects.filter(subscription=late.subscription, kind="refund").get().amount == 4
        event.refresh_from_db()
        assert event.status == Event.Status.CANCELLED
        assert set(EventPlaces.objects.filter(event=event).values_list("status", flat=True)) == {P.CANCELLED}
        told = set(OutboxMessage.objects.filter(kind="event.cancelled").values_list("recipient", flat=True))
        assert told == {u.email.lower() for u in (tenant_a.headteacher, first_head, other_head)} | {
            EventPlaces.objects.filter(event=event, school__name="Tolworth Juniors").get().booked_by.email.lower()
        }
        message = OutboxMessage.objects.get(kind="event.cancelled", recipient=other_head.email.lower())
        assert "is cancelled: The speaker is ill" in message.text and "given back in full" in message.text
        with pytest.raises(ValidationError) as closed:
            places_book(actor=first_head, event=event, school=first, places=1, waiting=True)
        assert closed.value.messages == ["This event has been cancelled"]
    assert client.get(url).status_code == 404  # cancelled once only


@pytest.mark.django_db
def test_cancelling_an_open_event_reverses_its_invoices_in_the_ledger(tenant_a, clock):
    conference = _event(tenant_a, tariff(tenant_a.partnership)["conference"])
    hub = _book(tenant_a, conference, organisation="Surrey Teaching Hub", places=2, actor=tenant_a.coordinator)
    with scopes_disabled():
        financial_year_open(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, start_year=financial_year_of(D(2026, 10, 1))
        )
        places_invoice(actor=tenant_a.coordinator, places=hub)
        event_cancel(actor=tenant_a.coordinator, event=conference, reason="Too few places booked")
        entries = list(LedgerEntry.objects.filter(partnership=tenant_a.partnership).values_list("kind", "amount"))
        assert sorted(entries) == [("event_income", Decimal("280.00")), ("reversal", Decimal("-280.00"))]
        assert AuditEvent.objects.filter(action="subscriptions.event_cancelled").count() == 1
        with pytest.raises(ValidationError):
            event_cancel(actor=tenant_a.coordinator, event=conference, reason="Again")
