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
