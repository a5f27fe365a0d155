"""What the subscription tests share: the day they run on."""

import datetime

import pytest
from django_scopes import scopes_disabled

from tests.clock import on_day, roles_held_since

TODAY = datetime.date(2026, 10, 1)  # in the 2026/27 subscription year


@pytest.fixture
def clock(tenant_a):
    """Today is 1 October 2026, in the 2026/27 subscription year; the tenant's roles held since 2024."""
    with scopes_disabled():
        roles_held_since(tenant_a.partnership, datetime.date(2024, 9, 1))
    with on_day(TODAY):
        yield TODAY
