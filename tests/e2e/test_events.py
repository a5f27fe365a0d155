"""Events through the browser: the coordinator sets up a network forum with 2 places a school; a
headteacher books 2 places, sees they cost 4 credits before confirming, and the places left fall; a
third place for the same school is refused at its field. The harness checks every page (axe-core, no
sideways scrolling)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.calendar import academic_year_of
from tests.e2e.conftest import fill_date
from tests.factories.subscriptions import balance, subscribed, tariff

pytestmark = pytest.mark.e2e


def test_coordinator_sets_up_a_forum_and_a_headteacher_books_places_for_credits(site, tenant_a):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=20)
    subscription = subscribed(tenant_a, year=academic_year_of(day))
    tariff(tenant_a.partnership)
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/", name="events-index-link")
    site.follow("Network events, open events and conferences", name="events-empty")
    site.follow("Set up an event", name="event-new")
    site.submit("Set up the event", status=400, name="event-new-errors")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter")
    page.get_by_label("Title").fill("School improvement forum")
    page.get_by_label("Kind of event, from the tariff").select_option(label="EAL network")
    fill_date(page, "Date", day)
    page.get_by_label("Starts at").fill("09:30")
    page.get_by_label("A whole day (longer than half a day)").check()
    page.get_by_label("Places", exact=True).fill("30")
    page.get_by_label("Places per school (optional)").fill("2")
    page.get_by_label("Venue (optional)").fill("Kingston Guildhall")
    site.submit("Set up the event", status=200, name="event-page-coordinator")
    expect(page.locator("h1")).to_have_text("School improvement forum")
    event_path = site.path

    page.context.clear_cookies()
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(event_path, name="event-page-head")
    site.follow("Book places", name="event-book")
    page.get_by_label("Places", exact=True).fill("2")
    page.get_by_label("Who is coming (optional)").fill("Deputy head and the maths lead")
    site.submit("Check the cost", status=200, name="event-book-check")
    expect(page.locator("main")).to_contain_text("4 credits")
    expect(page.locator("main")).to_contain_text("56 credits of 60")
    site.submit("Confirm the places", status=200, name="event-booked")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 places booked")
    expect(page.locator("main")).to_contain_text("28 of 30")
    assert balance(subscription) == 56

    site.follow("Book places")
    page.get_by_label("Places", exact=True).fill("1")
    site.submit("Check the cost", status=400, name="event-book-allowance")
    expect(page.locator("#id_places-error")).to_contain_text(re.compile("Each school may have 2 places"))


def test_a_headteacher_accepts_a_place_held_for_their_school_and_the_coordinator_takes_the_register(site, tenant_a):
    """A network morning is full and the tenant's school waits; a place comes free and is held for it. Its
    headteacher accepts it from the event page (the cost shown first) and names who is coming; on the day
    the coordinator ticks who came on the register."""
    from django_scopes import scopes_disabled

    from subscriptions.models import EventPlaces
    from subscriptions.services.events import event_create
    from subscriptions.services.places import places_book, places_cancel
    from tests.clock import roles_held_since
    from tests.factories.partnerships import member_school_with_head

    today = timezone.localdate()
    subscription = subscribed(tenant_a, year=academic_year_of(today))
    network = tariff(tenant_a.partnership)["network"]
    with scopes_disabled():
        roles_held_since(tenant_a.partnership, today - datetime.timedelta(days=400))
        other, other_head = member_school_with_head(
            tenant_a.partnership, name="Latchmere Primary", head_since=today - datetime.timedelta(days=400)
        )
        subscribed(tenant_a, school=other, plan=subscription.plan, year=academic_year_of(today))
        event = event_create(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            title="EAL network morning",
            item=network,
            starts=timezone.localtime().replace(hour=23, minute=0, second=0, microsecond=0),
            whole_day=False,
            capacity=1,
        )
        taken = places_book(actor=other_head, event=event, school=other, places=1)
        places_book(actor=tenant_a.headteacher, event=event, school=tenant_a.schools[0], places=1, waiting=True)
        places_cancel(actor=other_head, places=taken)
    page, slug = site.page, tenant_a.slug
    school = tenant_a.schools[0].name
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/events/{event.pk}/", name="event-offered")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"held for {school} until")
    site.follow(f"Accept the places for {school}", name="offer-accept")
    expect(page.locator("main")).to_contain_text("1 credit")
    site.submit("Accept and book the places", status=200, name="offer-accepted")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 place booked")
    assert balance(subscription) == 59
    site.follow(f"Name who is coming for {school}", name="event-names")
    page.get_by_label("Place 1").fill("Amara Okafor")
    site.submit("Save the names", status=200, name="event-named")
    expect(page.locator("main")).to_contain_text("Amara Okafor")

    page.context.clear_cookies()
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/subscriptions/events/{event.pk}/", name="event-on-the-day")
    site.follow("Take the register", name="register")
    page.get_by_label("Amara Okafor").check()
    site.submit("Save the register", status=200, name="register-saved")
    expect(page.locator("main")).to_contain_text("Amara Okafor (came)")
    with scopes_disabled():
        assert EventPlaces.objects.get(event=event, school=tenant_a.schools[0], status="booked").attended == 1
