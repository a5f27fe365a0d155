"""Moving "today" for a test, so a role's dates can pass without anything being run in between."""

import contextlib
import datetime
from unittest import mock

from django.utils import timezone


@contextlib.contextmanager
def on_day(day: datetime.date):
    """Make timezone.localdate() (what "today" means across the app) return `day`."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def roles_held_since(partnership, day: datetime.date) -> None:
    """Start every open role in the partnership on `day`, so pages visited on a fixed earlier day
    (with on_day) still admit its people, whose roles the factories start a month before the real today."""
    from partnerships.models import RoleAssignment

    RoleAssignment.objects.filter(partnership=partnership, end__isnull=True).update(start=day)
