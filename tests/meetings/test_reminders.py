"""Reminders found by the beat sweep: to answer an invitation, and to add a paper before its deadline.
Each is one outbox row, so a sweep that runs again (or twice at once) sends nothing twice."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from core.models import OutboxMessage
from meetings.models import Meeting
from meetings.tasks import ANSWER_REMINDER, PAPERS_REMINDER, send_meeting_reminders
from tests.factories.meetings import AgendaItemFactory, InviteeFactory, MeetingFactory, paper_for

pytestmark = pytest.mark.django_db


def _sweep(tenant) -> int:
    return send_meeting_reminders(partnership_id=tenant.partnership.pk)


def _rows(kind) -> list[OutboxMessage]:
    with scopes_disabled():
        return list(OutboxMessage.objects.filter(kind=kind).order_by("pk"))


@pytest.fixture
def soon(tenant_a):
    """A meeting in two days, called a fortnight ago."""
    now = timezone.now()
    with scopes_disabled():
        return MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            starts=now + datetime.timedelta(days=2),
            ends=now + datetime.timedelta(days=2, hours=1),
            created_at=now - datetime.timedelta(days=14),
        )


def test_someone_who_has_not_answered_is_reminded_once(tenant_a, tenant_b, soon):
    with scopes_disabled():
        waiting = InviteeFactory(meeting=soon, user=tenant_a.headteacher, school=tenant_a.schools[0])
        InviteeFactory(meeting=soon, user=tenant_a.coordinator, answer="attending")
        other = MeetingFactory(
            partnership=tenant_b.partnership,
            organiser=tenant_b.coordinator,
            starts=soon.starts,
            ends=soon.ends,
            created_at=soon.created_at,
        )
        InviteeFactory(meeting=other, user=tenant_b.headteacher, school=tenant_b.schools[0])
    assert _sweep(tenant_a) == 1
    assert _sweep(tenant_a) == 0
    rows = _rows(ANSWER_REMINDER)
    assert [r.recipient for r in rows] == [tenant_a.headteacher.email.lower()]
    assert rows[0].subject.startswith("Reminder: can you come to Partnership meeting")
    assert "/meetings/answer/" in rows[0].text and not rows[0].calendar
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.MEETING_REMINDED)
        assert (event.actor, event.data["invitee"]) == (None, waiting.pk)
        # Moved: the new version of the meeting may remind again.
        Meeting.objects.filter(pk=soon.pk).update(sequence=soon.sequence + 1)
    assert _sweep(tenant_a) == 1


def test_a_meeting_called_at_short_notice_or_far_off_is_not_chased(tenant_a, soon):
    now = timezone.now()
    with scopes_disabled():
        Meeting.objects.filter(pk=soon.pk).update(created_at=now - datetime.timedelta(hours=3))
        InviteeFactory(meeting=soon, user=tenant_a.headteacher, school=tenant_a.schools[0])
        later = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            created_at=now - datetime.timedelta(days=14),
        )
        InviteeFactory(meeting=later, user=tenant_a.headteacher, school=tenant_a.schools[0])
    assert _sweep(tenant_a) == 0


def test_a_presenter_without_a_paper_is_reminded_before_the_deadline(tenant_a, soon):
    today = timezone.localdate()
    with scopes_disabled():
        Meeting.objects.filter(pk=soon.pk).update(papers_deadline=today + datetime.timedelta(days=1))
        missing = AgendaItemFactory(meeting=soon, position=1, title="Budget", presenter=tenant_a.headteacher)
        done = AgendaItemFactory(meeting=soon, position=2, title="Staffing", presenter=tenant_a.coordinator)
        paper_for(done, uploaded_by=tenant_a.coordinator)
        AgendaItemFactory(meeting=soon, position=3, title="Any other business")
    assert _sweep(tenant_a) == 1
    assert _sweep(tenant_a) == 0
    rows = _rows(PAPERS_REMINDER)
    assert [r.recipient for r in rows] == [tenant_a.headteacher.email.lower()]
    assert rows[0].subject.startswith("Your paper for Partnership meeting is due by")
    assert f"/meetings/items/{missing.pk}/papers/" in rows[0].text and '"Budget"' in rows[0].text
    with scopes_disabled():
        Meeting.objects.filter(pk=soon.pk).update(papers_deadline=today)  # a new deadline: a new reminder
    assert _sweep(tenant_a) == 1


def test_no_paper_reminder_before_the_window_or_after_the_deadline(tenant_a, soon):
    today = timezone.localdate()
    with scopes_disabled():
        AgendaItemFactory(meeting=soon, position=1, presenter=tenant_a.headteacher)
        for deadline in (today + datetime.timedelta(days=3), today - datetime.timedelta(days=1)):
            Meeting.objects.filter(pk=soon.pk).update(papers_deadline=deadline)
            assert _sweep(tenant_a) == 0
    assert _rows(PAPERS_REMINDER) == []
