import datetime

import factory
from django.utils import timezone

from meetings.models import Invitee, Meeting


def _next_month(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=30)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled meeting a month ahead, saved directly (no invitations sent); use the services to
    test scheduling itself."""

    class Meta:
        model = Meeting

    kind = Meeting.Kind.PARTNERSHIP
    title = "Partnership meeting"
    starts = factory.LazyFunction(lambda: _next_month(16))
    ends = factory.LazyFunction(lambda: _next_month(17))
    venue_address = "The Hall, 1 School Lane"


class InviteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitee
