import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import AgendaItem, Invitee, Meeting, Paper


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


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n + 1}")


def paper_for(item, *, uploaded_by, pages: int = 1, text: str = "Paper", name: str = "paper.pdf") -> Paper:
    """A real PDF paper saved the way uploads are (private storage, random name), without the service."""
    from core.files import PDF, private_storage, stored_name
    from tests.factories.documents import pdf_bytes

    content = pdf_bytes(pages, text)
    stored = private_storage.save(stored_name(f"papers/{item.meeting_id}", PDF), ContentFile(content))
    return Paper.objects.create(
        item=item,
        file=stored,
        name=name,
        content_type=PDF,
        size=len(content),
        pages=pages,
        no_pupil_data=True,
        uploaded_by=uploaded_by,
    )


def year_of_attendance(tenant, statuses: dict, *, recorded_by=None) -> list[Meeting]:
    """Partnership meetings in this academic year, three weeks apart from its first fortnight, one for each
    status in the lists of `statuses` ({school: ["present", "apologies", ...]}), with that attendance
    recorded (in bulk: a year of a large partnership's records). Returns the meetings in date order."""
    from django_scopes import scopes_disabled

    from meetings.models import Attendance
    from partnerships.calendar import academic_year_of

    year = academic_year_of(timezone.localdate())
    count = max((len(row) for row in statuses.values()), default=0)
    zone = timezone.get_current_timezone()
    first = datetime.datetime(year, 9, 15, 16, tzinfo=zone)
    with scopes_disabled():
        meetings = [
            MeetingFactory(
                partnership=tenant.partnership,
                organiser=tenant.coordinator,
                title=f"Partnership meeting {index + 1}",
                starts=first + datetime.timedelta(weeks=3 * index),
                ends=first + datetime.timedelta(weeks=3 * index, hours=1),
            )
            for index in range(count)
        ]
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meetings[index], school=school, status=status, recorded_by=recorded_by or tenant.coordinator
            )
            for school, row in statuses.items()
            for index, status in enumerate(row)
            if status
        )
    return meetings
