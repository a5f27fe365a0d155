"""subscriptions 0009: places booked before the register get a row for each place, named from "who is
coming" where its lines fit the places, ticked for as many as were recorded as attended."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("subscriptions", "0008_a_register_of_names_at_events")]
AFTER = [("subscriptions", "0009_register_rows_for_places_already_booked")]


def _state(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_places_booked_before_the_register_get_a_row_a_place_named_and_ticked():
    old = _state(BEFORE)
    User = old.get_model("accounts", "User")
    Partnership = old.get_model("partnerships", "Partnership")
    School = old.get_model("schools", "School")
    TariffItem = old.get_model("subscriptions", "TariffItem")
    Event = old.get_model("subscriptions", "Event")
    EventPlaces = old.get_model("subscriptions", "EventPlaces")
    user = User.objects.create(email="coordinator@example.org", full_name="Coordinator")
    partnership = Partnership.objects.create(name="Kingston", slug="kingston")
    school = School.objects.create(urn=990301, name="Latchmere Primary", phase="primary")
    item = TariffItem.objects.create(
        partnership=partnership, name="Conference", kind="open_event", member_price=Decimal("95")
    )
    event = Event.objects.create(
        partnership=partnership,
        title="Conference",
        item=item,
        starts=timezone.now() + datetime.timedelta(days=3),
        capacity=30,
    )

    def places(n, attendees, attended=None, status="booked"):
        return EventPlaces.objects.create(
            event=event,
            school=school,
            places=n,
            attendees=attendees,
            attended=attended,
            status=status,
            booked_by=user,
        )

    named = places(3, "Ann Teacher\nBen Teacher\n", attended=2)
    crowded = places(2, "Ann\nBen\nCara")
    waiting = places(1, "Dan", status="waiting")

    new = _state(AFTER)
    EventAttendee = new.get_model("subscriptions", "EventAttendee")

    def register(row):
        return list(
            EventAttendee.objects.filter(places_id=row.pk).order_by("position").values_list("position", "name", "came")
        )

    assert register(named) == [(1, "Ann Teacher", True), (2, "Ben Teacher", True), (3, "", False)]
    assert register(crowded) == [(1, "Ann Ben Cara", False), (2, "", False)]
    assert register(waiting) == []

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
