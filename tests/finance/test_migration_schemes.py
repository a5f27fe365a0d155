"""finance 0002 + partnerships 0019: how schools contribute moves from the constitution into each
financial year's scheme, and nothing the agreement said is lost (and it goes back on the way down)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("finance", "0001_initial"), ("partnerships", "0018_finance_permissions")]
AFTER = [("partnerships", "0019_contributions_move_to_financial_years")]


def _state(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_years_scheme_takes_the_constitutions_basis_rate_and_share_and_goes_back():
    old = _state(BEFORE)
    Partnership = old.get_model("partnerships", "Partnership")
    Constitution = old.get_model("partnerships", "Constitution")
    FinancialYear = old.get_model("finance", "FinancialYear")
    User = old.get_model("accounts", "User")
    coordinator = User.objects.create(email="coordinator@example.org", full_name="Coordinator")
    per_fte = Partnership.objects.create(name="Per FTE", slug="per-fte")
    flat_no_year = Partnership.objects.create(name="Flat", slug="flat")
    none = Partnership.objects.create(name="None", slug="none")
    Constitution.objects.create(
        partnership=per_fte,
        contribution_basis="per_fte",
        contribution_rate=Decimal("2.00"),
        banker_admin_share_percent=Decimal("5"),
    )
    Constitution.objects.create(partnership=flat_no_year, contribution_basis="flat", contribution_rate=Decimal("500"))
    Constitution.objects.create(partnership=none, contribution_basis="none")
    for start in (2025, 2026):
        FinancialYear.objects.create(
            partnership=per_fte,
            starts=datetime.date(start, 4, 1),
            ends=datetime.date(start + 1, 3, 31),
            label=f"{start}-{str(start + 1)[-2:]}",
            opened_by=coordinator,
        )

    new = _state(AFTER)
    Scheme = new.get_model("finance", "ContributionScheme")
    FinancialYear = new.get_model("finance", "FinancialYear")
    schemes = {
        (s.year.partnership_id, s.year.starts.year): (s.basis, s.rate, s.admin_share_percent, s.set_by_id)
        for s in Scheme.objects.select_related("year")
    }
    flat_year = FinancialYear.objects.get(partnership_id=flat_no_year.pk)
    assert flat_year.opened_by_id is None and flat_year.starts.month == 4 and flat_year.starts.day == 1
    assert schemes == {
        (per_fte.pk, 2025): ("per_fte", Decimal("2.00"), Decimal("5.00"), None),
        (per_fte.pk, 2026): ("per_fte", Decimal("2.00"), Decimal("5.00"), None),
        (flat_no_year.pk, flat_year.starts.year): ("flat", Decimal("500.00"), None, None),
    }
    assert not FinancialYear.objects.filter(partnership_id=none.pk).exists()
    assert not {f.name for f in new.get_model("partnerships", "Constitution")._meta.get_fields()} & {
        "contribution_basis",
        "contribution_rate",
        "banker_admin_share_percent",
    }

    back = _state(BEFORE)
    Constitution = back.get_model("partnerships", "Constitution")
    restored = {
        c.partnership_id: (c.contribution_basis, c.contribution_rate, c.banker_admin_share_percent)
        for c in Constitution.objects.all()
    }
    assert restored[per_fte.pk] == ("per_fte", Decimal("2.00"), Decimal("5.00"))
    assert restored[flat_no_year.pk] == ("flat", Decimal("500.00"), None)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
