"""0012: representative and reserve roles come from confirmed rotas; those no rota backs end, with a record."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("partnerships", "0011_rota_phase_reason"), ("accounts", "0005_audit_action_rota_roles_set")]
AFTER = [("partnerships", "0012_strategy_roles_from_confirmed_rotas")]
DAY = datetime.timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_confirmed_rotas_give_the_roles_and_every_other_representative_role_ends():
    today = timezone.localdate()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Partnership = old.get_model("partnerships", "Partnership")
    School = old.get_model("schools", "School")
    Term = old.get_model("partnerships", "Term")
    StrategyRota = old.get_model("partnerships", "StrategyRota")
    RotaSeat = old.get_model("partnerships", "RotaSeat")
    RoleAssignment = old.get_model("partnerships", "RoleAssignment")
    with_rota = Partnership.objects.create(name="With a rota", slug="with-rota")
    without = Partnership.objects.create(name="Without", slug="without")
    people = {n: User.objects.create(email=f"{n}@example.org", full_name=n.title()) for n in "abcdef"}
    schools = {n: School.objects.create(urn=900 + i, name=f"{n} School", phase="primary") for i, n in enumerate("ab")}
    long_ago = datetime.date(2015, 9, 1)
    for user, school in ((people["a"], schools["a"]), (people["b"], schools["b"])):
        RoleAssignment.objects.create(
            user=user, partnership=with_rota, role="headteacher", school=school, start=long_ago
        )
    term = Term.objects.create(
        partnership=with_rota,
        academic_year=today.year,
        name="autumn",
        starts=today - 10 * DAY,
        half_term_starts=today + 5 * DAY,
        half_term_ends=today + 9 * DAY,
        ends=today + 40 * DAY,
    )
    rota = StrategyRota.objects.create(partnership=with_rota, term=term, confirmed_at=timezone.now())
    RotaSeat.objects.create(rota=rota, seat=1, representative=schools["a"], reserve=schools["b"])
    rep = {"partnership": with_rota, "role": "strategy_rep"}
    backed = RoleAssignment.objects.create(user=people["a"], start=long_ago, **rep)  # continues, to the term's end
    stale = RoleAssignment.objects.create(user=people["c"], start=long_ago, **rep)  # last term's, never ended
    future = RoleAssignment.objects.create(user=people["d"], start=today + 3 * DAY, **rep)  # never began
    elsewhere = RoleAssignment.objects.create(
        user=people["e"], partnership=without, role="strategy_reserve", start=long_ago
    )
    over = RoleAssignment.objects.create(user=people["f"], start=long_ago, end=today - 30 * DAY, **rep)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    RoleAssignment = new.get_model("partnerships", "RoleAssignment")
    AuditEvent = new.get_model("accounts", "AuditEvent")
    roles = {
        (r.user_id, r.partnership_id, r.role): (r.start, r.end)
        for r in RoleAssignment.objects.filter(role__in=["strategy_rep", "strategy_reserve"])
    }
    assert roles == {
        (people["a"].pk, with_rota.pk, "strategy_rep"): (long_ago, term.ends),
        (people["b"].pk, with_rota.pk, "strategy_reserve"): (today, term.ends),
        (people["c"].pk, with_rota.pk, "strategy_rep"): (long_ago, today - DAY),
        (people["e"].pk, without.pk, "strategy_reserve"): (long_ago, today - DAY),
        (people["f"].pk, with_rota.pk, "strategy_rep"): (long_ago, today - 30 * DAY),
    }
    assert not RoleAssignment.objects.filter(pk=future.pk).exists()
    by_role = {e.data["role_assignment"]: e for e in AuditEvent.objects.all()}
    assert by_role[backed.pk].action == "rota.roles_set"
    assert by_role[stale.pk].action == by_role[elsewhere.pk].action == "role.ended"
    assert "no confirmed rota gives the role" in by_role[stale.pk].summary
    assert by_role[future.pk].action == "role.removed_never_in_force"
    assert over.pk not in by_role
    assert {e.partnership_id for e in AuditEvent.objects.all()} == {with_rota.pk, without.pk}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
