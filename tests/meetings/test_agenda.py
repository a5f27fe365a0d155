"""The agenda agreed in advance: drafted by the coordinator and the chair, agreed by the chair,
published by the coordinator, who tells everyone invited; a change after agreement needs the chair
again, and publishing again tells everyone again."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import OutboxMessage
from meetings.models import AgendaItem, Meeting
from meetings.services.agenda import (
    PAPERS,
    agenda_agree,
    agenda_item_add,
    agenda_item_change,
    agenda_item_move,
    agenda_item_remove,
    agenda_publish,
    papers_deadline_set,
)
from meetings.services.scheduling import meeting_cancel, meeting_schedule
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(tenant_a):
    """A partnership meeting a month ahead, chaired by the headteacher, everyone invited."""
    starts = (timezone.localtime() + datetime.timedelta(days=30)).replace(hour=16, minute=0, second=0, microsecond=0)
    with scope(partnership=tenant_a.partnership):
        return meeting_schedule(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            kind="partnership",
            title="Partnership meeting",
            starts=starts,
            ends=starts + datetime.timedelta(hours=2),
            venue_school=tenant_a.schools[0],
            chair=tenant_a.headteacher,
        )


def _titles(meeting) -> list[tuple[int, str]]:
    with scopes_disabled():
        return list(meeting.items.order_by("position").values_list("position", "title"))


def _papers_notices(meeting) -> list[OutboxMessage]:
    with scopes_disabled():
        return list(OutboxMessage.objects.filter(about=f"meeting:{meeting.pk}", kind=PAPERS).order_by("pk"))


def test_items_are_added_in_order_moved_and_renumbered_when_one_goes(tenant_a, meeting):
    with scope(partnership=tenant_a.partnership):
        first = agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="  Welcome and apologies ")
        second = agenda_item_add(actor=tenant_a.headteacher, meeting=meeting, title="Budget", minutes=20)
        agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Any other business")
        assert _titles(meeting) == [(1, "Welcome and apologies"), (2, "Budget"), (3, "Any other business")]
        agenda_item_move(actor=tenant_a.coordinator, item=second, direction="up")
        assert _titles(meeting) == [(1, "Budget"), (2, "Welcome and apologies"), (3, "Any other business")]
        with pytest.raises(ValidationError) as refused:
            agenda_item_move(actor=tenant_a.coordinator, item=second, direction="up")
        assert refused.value.message_dict == {"direction": ["Budget is already first"]}
        agenda_item_remove(actor=tenant_a.coordinator, item=second)
    assert _titles(meeting) == [(1, "Welcome and apologies"), (2, "Any other business")]
    with scopes_disabled():
        assert AgendaItem.objects.get(pk=first.pk).position == 1


def test_the_chair_agrees_the_coordinator_publishes_and_everyone_invited_is_told_once(tenant_a, meeting):
    with scope(partnership=tenant_a.partnership):
        agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget", decision_needed=True)
        with pytest.raises(ValidationError, match="The chair must agree the agenda before it is published"):
            agenda_publish(actor=tenant_a.coordinator, meeting=meeting)
        agreed = agenda_agree(actor=tenant_a.headteacher, meeting=meeting)
        assert (agreed.agenda_status, agreed.agenda_agreed_by) == ("agreed", tenant_a.headteacher)
        with pytest.raises(ValidationError, match="Only the coordinator publishes the agenda"):
            agenda_publish(actor=tenant_a.headteacher, meeting=meeting)
        published = agenda_publish(actor=tenant_a.coordinator, meeting=meeting)
        with pytest.raises(ValidationError, match="already published"):
            agenda_publish(actor=tenant_a.coordinator, meeting=meeting)
    assert (published.agenda_status, published.papers_version) == ("published", 1)
    notices = _papers_notices(meeting)
    with scopes_disabled():
        invited = {i.email.lower() for i in meeting.invitees.filter(removed_at__isnull=True) if i.email}
    assert {n.recipient for n in notices} == invited and len(notices) == len(invited)
    assert notices[0].subject.startswith("Agenda and papers: Partnership meeting")
    assert "1. Budget (for decision)" in notices[0].text and "pack.pdf" in notices[0].text
    assert not notices[0].calendar  # papers are not a calendar change


def test_a_change_after_publication_needs_the_chair_again_and_publishing_again_tells_everyone(tenant_a, meeting):
    with scope(partnership=tenant_a.partnership):
        item = agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget")
        agenda_agree(actor=tenant_a.coordinator, meeting=meeting)  # on the chair's word
        agenda_publish(actor=tenant_a.coordinator, meeting=meeting)
        changed = agenda_item_change(actor=tenant_a.coordinator, item=item, title="Budget 2027-28", minutes=30)
        meeting.refresh_from_db()
        assert (meeting.agenda_status, meeting.agenda_agreed_by, meeting.agenda_is_public) == ("draft", None, True)
        assert changed.title == "Budget 2027-28"
        agenda_agree(actor=tenant_a.headteacher, meeting=meeting)
        agenda_publish(actor=tenant_a.coordinator, meeting=meeting)
    notices = _papers_notices(meeting)
    assert {n.version for n in notices} == {1, 2}
    assert all(n.subject.startswith("Changed agenda and papers") for n in notices if n.version == 2)


def test_an_unchanged_save_keeps_the_agreement(tenant_a, meeting):
    with scope(partnership=tenant_a.partnership):
        item = agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget", minutes=10)
        agenda_agree(actor=tenant_a.headteacher, meeting=meeting)
        agenda_item_change(actor=tenant_a.coordinator, item=item, title="Budget ", minutes=10)
        meeting.refresh_from_db()
    assert meeting.agenda_status == "agreed"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the item's title, for example Headteachers' updates"),
        ({"title": "x" * 201}, "title", "The title must be 200 characters or fewer"),
        ({"minutes": 0}, "minutes", "The time allowed must be between 1 and 480 minutes"),
        ({"minutes": 481}, "minutes", "The time allowed must be between 1 and 480 minutes"),
    ],
)
def test_a_bad_item_is_refused_by_field_and_nothing_changes(tenant_a, meeting, changes, field, message):
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, **({"title": "Budget"} | changes))
    assert refused.value.message_dict == {field: [message]}
    assert _titles(meeting) == []


def test_a_presenter_must_have_a_role_on_the_day(tenant_a, meeting):
    with scopes_disabled():
        outsider = UserFactory(full_name="Nobody Here")
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget", presenter=outsider)
    assert refused.value.message_dict == {
        "presenter": ["Nobody Here has no role in the partnership on the day of the meeting"]
    }


def test_only_the_coordinator_and_the_chair_draft_the_agenda(tenant_a, meeting):
    with scopes_disabled():
        deputy = UserFactory()
        give_role(deputy, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError, match="Only the coordinator and the meeting's chair change its agenda"):
            agenda_item_add(actor=deputy, meeting=meeting, title="My item")
        item = agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget")
        with pytest.raises(ValidationError, match="Only the meeting's chair, or the coordinator"):
            agenda_agree(actor=deputy, meeting=meeting)
        with pytest.raises(ValidationError):
            agenda_item_remove(actor=deputy, item=item)
    assert _titles(meeting) == [(1, "Budget")]


def test_there_is_nothing_to_agree_without_items_or_without_a_chair(tenant_a, meeting):
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError, match="Add the agenda's items before it is agreed"):
            agenda_agree(actor=tenant_a.coordinator, meeting=meeting)
        agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget")
        Meeting.objects.filter(pk=meeting.pk).update(chair=None)
        with pytest.raises(ValidationError, match="Name the meeting's chair first"):
            agenda_agree(actor=tenant_a.coordinator, meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(chair=tenant_a.headteacher)
        agenda_agree(actor=tenant_a.coordinator, meeting=meeting)
        with pytest.raises(ValidationError, match="already agreed"):
            agenda_agree(actor=tenant_a.headteacher, meeting=meeting)


def test_a_cancelled_meetings_agenda_does_not_change(tenant_a, meeting):
    with scope(partnership=tenant_a.partnership):
        item = agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Budget")
        meeting_cancel(actor=tenant_a.coordinator, meeting=meeting, reason="Snow")
        with pytest.raises(ValidationError, match="cancelled"):
            agenda_item_change(actor=tenant_a.coordinator, item=item, title="Budget again")
    assert _titles(meeting) == [(1, "Budget")]


def test_the_papers_deadline_falls_before_the_meeting(tenant_a, meeting):
    day = timezone.localtime(meeting.starts).date()
    with scope(partnership=tenant_a.partnership):
        for deadline, message in (
            (day, "Papers must be due before the day of the meeting"),
            (timezone.localdate() - datetime.timedelta(days=1), "The deadline must be today or later"),
        ):
            with pytest.raises(ValidationError) as refused:
                papers_deadline_set(actor=tenant_a.coordinator, meeting=meeting, deadline=deadline)
            assert refused.value.message_dict == {"deadline": [message]}
        set_ = papers_deadline_set(
            actor=tenant_a.headteacher, meeting=meeting, deadline=day - datetime.timedelta(days=7)
        )
    assert set_.papers_deadline == day - datetime.timedelta(days=7)


def _url(tenant, name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant.slug, **kwargs})


def test_the_coordinator_drafts_through_the_pages_and_bad_input_shows_by_the_field(client_for, tenant_a, meeting):
    client = client_for(tenant_a.coordinator)
    add = _url(tenant_a, "agenda_item_add", meeting_pk=meeting.pk)
    response = client.post(add, {"title": "", "minutes": "ten"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the item&#x27;s title, for example Headteachers&#x27; updates" in page
    assert "Enter the minutes allowed as a whole number, like 15" in page
    assert _titles(meeting) == []
    response = client.post(add, {"title": "Budget", "minutes": "20", "decision_needed": "on"})
    assert response.status_code == 302 and response["Location"] == _url(tenant_a, "agenda", meeting_pk=meeting.pk)
    agenda = client.get(_url(tenant_a, "agenda", meeting_pk=meeting.pk)).content.decode()
    assert "Budget" in agenda and "Agree the agenda" in agenda
    detail = client_for(tenant_a.headteacher).get(_url(tenant_a, "detail", meeting_pk=meeting.pk)).content.decode()
    assert "Budget" in detail  # the chair sees the draft


def test_members_see_the_agenda_only_once_it_is_published(client_for, tenant_a, meeting):
    with scopes_disabled():
        member = UserFactory()
        give_role(member, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    with scope(partnership=tenant_a.partnership):
        agenda_item_add(actor=tenant_a.coordinator, meeting=meeting, title="Secret plans")
    client = client_for(member)
    detail = _url(tenant_a, "detail", meeting_pk=meeting.pk)
    assert "Secret plans" not in client.get(detail).content.decode()
    assert client.get(_url(tenant_a, "agenda", meeting_pk=meeting.pk)).status_code == 403
    with scope(partnership=tenant_a.partnership):
        agenda_agree(actor=tenant_a.headteacher, meeting=meeting)
        agenda_publish(actor=tenant_a.coordinator, meeting=meeting)
    assert "Secret plans" in client.get(detail).content.decode()


def test_the_meeting_and_agenda_pages_run_the_same_queries_for_3_and_40_items(tenant_a, client_for):
    from core.testing import assert_constant_queries
    from tests.factories.meetings import AgendaItemFactory, MeetingFactory, paper_for

    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            papers_version=1,
            chair=tenant_a.coordinator,
        )

    def add_items(count):
        start = meeting.items.count()
        for n in range(start + 1, start + count + 1):
            item = AgendaItemFactory(
                meeting=meeting, position=n, presenter=tenant_a.headteacher, confidential=n % 3 == 0
            )
            paper_for(item, uploaded_by=tenant_a.headteacher, text=f"Paper {n}")

    with scopes_disabled():
        add_items(3)
    client = client_for(tenant_a.coordinator)
    for name, more in (("agenda", 5), ("detail", 32)):
        page = _url(tenant_a, name, meeting_pk=meeting.pk)
        assert_constant_queries(client, page, grow=lambda more=more: add_items(more), at_most=30)
