"""0009 moves every stored role end and election term end to the last day in force."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

D = datetime.date
BEFORE = [("partnerships", "0008_interestreminder"), ("accounts", "0003_auditevent_action_choices")]
AFTER = [("partnerships", "0010_end_date_fields_and_election_check")]


@pytest.mark.django_db(transaction=True)
def test_ends_become_last_days_and_roles_never_in_force_are_removed_with_a_record():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Partnership = old.get_model("partnerships", "Partnership")
    RoleAssignment = old.get_model("partnerships", "RoleAssignment")
    Election = old.get_model("partnerships", "Election")
    user = User.objects.create(email="pat@example.org", full_name="Pat Chair")
    partnership = Partnership.objects.create(name="Old", slug="old")
    common = {"user": user, "partnership": partnership}
    ended = RoleAssignment.objects.create(role="chair", start=D(2024, 9, 1), end=D(2025, 9, 1), **common)
    open_role = RoleAssignment.objects.create(role="coordinator", start=D(2024, 9, 1), **common)
    never = RoleAssignment.objects.create(role="vice_chair", start=D(2025, 3, 1), end=D(2025, 3, 1), **common)
    one_day = RoleAssignment.objects.create(role="governor", start=D(2025, 3, 1), end=D(2025, 3, 2), **common)
    election = Election.objects.create(
        partnership=partnership,
        office="chair",
        held_on=D(2024, 7, 1),
        term_starts=D(2024, 9, 1),
        term_ends=D(2025, 9, 1),
        method="acclamation",
        elected=user,
        role=ended,
        recorded_by=user,
    )
    on_never = Election.objects.create(
        partnership=partnership,
        office="vice_chair",
        held_on=D(2025, 2, 1),
        term_starts=D(2025, 3, 1),
        term_ends=D(2025, 3, 2),
        method="acclamation",
        elected=user,
        role=never,
        recorded_by=user,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    RoleAssignment = new.get_model("partnerships", "RoleAssignment")
    Election = new.get_model("partnerships", "Election")
    AuditEvent = new.get_model("accounts", "AuditEvent")
    ends = dict(RoleAssignment.objects.values_list("pk", "end"))
    assert ends == {ended.pk: D(2025, 8, 31), open_role.pk: None, one_day.pk: D(2025, 3, 1)}
    assert Election.objects.get(pk=election.pk).term_ends == D(2025, 8, 31)
    kept = Election.objects.get(pk=on_never.pk)
    assert (kept.term_ends, kept.role_id) == (D(2025, 3, 1), None)
    event = AuditEvent.objects.get(action="role.removed_never_in_force")
    assert event.partnership_id == partnership.pk and event.data["role_assignment"] == never.pk
    assert "never in force" in event.summary

    # And back: the days each role covered are the same under both conventions.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("partnerships", "RoleAssignment").objects.get(pk=ended.pk).end == D(2025, 9, 1)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
