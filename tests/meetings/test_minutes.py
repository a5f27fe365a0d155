"""Minutes built from the meeting's record: notes, decisions (flagged when taken inquorate), actions;
circulated to those invited and, where the agreement says so, to the local authority; approved once, at
a later meeting, whose minutes record it; a confidential item's notes only in the confidential version."""

import datetime
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from core.models import OutboxMessage
from meetings.models import Attendance, Minutes
from meetings.selectors import meeting_access, minutes_document
from meetings.services.minutes import (
    MINUTES,
    action_add,
    decision_record,
    minutes_approve,
    minutes_circulate,
    minutes_notes_save,
)
from partnerships.models import Constitution
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, InviteeFactory, MeetingFactory
from tests.factories.partnerships import give_role, unset_rules

pytestmark = pytest.mark.django_db


def _held(tenant, *, days_ago: int = 0, ended: bool = True, note_taker=None):
    now = timezone.now() - datetime.timedelta(days=days_ago)
    starts = now - datetime.timedelta(hours=3 if ended else 0, minutes=0 if ended else 10)
    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant.partnership,
            organiser=tenant.coordinator,
            note_taker=note_taker or tenant.headteacher,
            chair=tenant.coordinator,
            starts=starts,
            ends=starts + datetime.timedelta(hours=2),
        )
        AgendaItemFactory(meeting=meeting, position=1, title="Budget")
        AgendaItemFactory(meeting=meeting, position=2, title="Staffing", confidential=True)
        InviteeFactory(meeting=meeting, user=tenant.headteacher, school=tenant.schools[0])
        InviteeFactory(meeting=meeting, user=tenant.coordinator)
    return meeting


def _items(meeting):
    with scopes_disabled():
        return list(meeting.items.order_by("position"))


def _present(tenant, meeting, *schools):
    with scopes_disabled():
        for school in schools:
            Attendance.objects.create(meeting=meeting, school=school, status="present", recorded_by=tenant.coordinator)


def test_a_decision_taken_while_inquorate_is_flagged_by_the_constitutions_rule(tenant_a):
    meeting = _held(tenant_a)
    budget, _ = _items(meeting)
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(quorum_kind="number", quorum_value=2)
    _present(tenant_a, meeting, tenant_a.schools[0])
    with scope(partnership=tenant_a.partnership):
        decision_record(actor=tenant_a.headteacher, item=budget, text="Agreed the budget", votes_for=1)
        _present(tenant_a, meeting, tenant_a.schools[1])
        decision_record(actor=tenant_a.headteacher, item=budget, text="Agreed the training day")
        decisions = list(budget.decisions.order_by("pk"))
    assert [(d.text, d.inquorate) for d in decisions] == [
        ("Agreed the budget", True),
        ("Agreed the training day", False),
    ]
    assert decisions[0].vote_label == "For 1, against 0, abstaining 0"


def test_where_the_agreement_sets_no_quorum_nothing_is_flagged(tenant_a):
    unset_rules(tenant_a.partnership, "quorum_kind", "quorum_value")
    meeting = _held(tenant_a)
    with scope(partnership=tenant_a.partnership):
        item = decision_record(actor=tenant_a.headteacher, item=_items(meeting)[0], text="Agreed")
        assert item.decisions.get().inquorate is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"owner": None}, "owner", "Choose who will do it: every action has an owner"),
        ({"due": None}, "due", "Enter the date it is due"),
        ({"due": -1}, "due", "The due date cannot be before the meeting"),
        ({"description": "  "}, "description", "Describe the action: what is to be done"),
    ],
)
def test_a_bad_action_is_refused_by_field(tenant_a, changes, field, message):
    meeting = _held(tenant_a)
    data = {"description": "Send the budget", "owner": tenant_a.headteacher, "due": timezone.localdate()}
    if changes.get("due") == -1:
        changes = {"due": timezone.localtime(meeting.starts).date() - datetime.timedelta(days=1)}
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        action_add(actor=tenant_a.coordinator, meeting=meeting, **(data | changes))
    assert refused.value.message_dict == {field: [message]}
    with scopes_disabled():
        assert not meeting.actions.exists()


def test_minutes_are_not_written_before_the_day_nor_by_someone_else(tenant_a):
    with scopes_disabled():
        future = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        item = AgendaItemFactory(meeting=future, position=1)
        other = UserFactory()
        give_role(other, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    held = _held(tenant_a)
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError, match="on the day of the meeting or after it"):
            minutes_notes_save(actor=tenant_a.coordinator, item=item, notes="Too early")
        with pytest.raises(ValidationError, match="Only the meeting's note-taker or the coordinator"):
            minutes_notes_save(actor=other, item=_items(held)[0], notes="Not mine")


def test_circulating_tells_those_invited_and_the_local_authority_where_the_agreement_says_so(tenant_a):
    with scopes_disabled():
        observer = UserFactory(email="la@council.example")
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    meeting = _held(tenant_a)
    budget, _ = _items(meeting)
    with scope(partnership=tenant_a.partnership):
        minutes_notes_save(actor=tenant_a.headteacher, item=budget, notes="The budget was discussed.")
        minutes = minutes_circulate(actor=tenant_a.headteacher, meeting=meeting)
        with pytest.raises(ValidationError, match="The minutes are circulated"):
            minutes_notes_save(actor=tenant_a.headteacher, item=budget, notes="A late change")
    assert minutes.status == "circulated"
    with scopes_disabled():
        told = set(OutboxMessage.objects.filter(kind=MINUTES).values_list("recipient", flat=True))
    assert told == {tenant_a.headteacher.email.lower(), tenant_a.coordinator.email.lower(), "la@council.example"}


def test_no_minutes_go_to_the_local_authority_unless_the_agreement_says_so(tenant_a):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(minutes_to_local_authority=None)
        observer = UserFactory(email="la@council.example")
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    meeting = _held(tenant_a)
    _present(tenant_a, meeting, tenant_a.schools[0])
    with scope(partnership=tenant_a.partnership):
        minutes_circulate(actor=tenant_a.coordinator, meeting=meeting)
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(kind=MINUTES, recipient="la@council.example").exists()
    url = reverse("meetings:minutes", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": meeting.pk})
    from django.test import Client

    client = Client()
    client.force_login(observer)
    assert client.get(url).status_code == 403


def test_a_meeting_still_going_or_with_nothing_recorded_cannot_circulate(tenant_a):
    going = _held(tenant_a, ended=False)
    empty = _held(tenant_a)
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError, match="The meeting has not finished"):
            minutes_circulate(actor=tenant_a.coordinator, meeting=going)
        with pytest.raises(ValidationError, match="There is nothing to circulate yet"):
            minutes_circulate(actor=tenant_a.coordinator, meeting=empty)


def test_minutes_are_approved_once_at_a_later_meeting_whose_minutes_record_it(tenant_a):
    earlier = _held(tenant_a, days_ago=42)
    later = _held(tenant_a, ended=False)
    _present(tenant_a, earlier, tenant_a.schools[0])
    with scope(partnership=tenant_a.partnership):
        minutes = Minutes.objects.create(meeting=earlier)
        with pytest.raises(ValidationError, match="Circulate the minutes before they are approved"):
            minutes_approve(actor=tenant_a.coordinator, minutes=minutes, at_meeting=later)
        minutes_circulate(actor=tenant_a.coordinator, meeting=earlier)
        with pytest.raises(ValidationError) as refused:
            minutes_approve(actor=tenant_a.coordinator, minutes=minutes, at_meeting=earlier)
        assert refused.value.message_dict == {"at_meeting": ["Choose a later meeting of the same kind, which was held"]}
        approved = minutes_approve(actor=tenant_a.coordinator, minutes=minutes, at_meeting=later)
        assert (approved.status, approved.approved_at_meeting) == ("approved", later)
        with pytest.raises(ValidationError, match="already approved"):
            minutes_approve(actor=tenant_a.coordinator, minutes=minutes, at_meeting=later)
        document = minutes_document(later, meeting_access(tenant_a.coordinator, later))
    assert [m.meeting for m in document["approvals"]] == [earlier]


def test_minutes_are_not_approved_at_a_meeting_yet_to_happen(tenant_a):
    earlier = _held(tenant_a, days_ago=42)
    with scopes_disabled():
        future = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        minutes = Minutes.objects.create(meeting=earlier, status="circulated", circulated_at=timezone.now())
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError) as refused:
        minutes_approve(actor=tenant_a.coordinator, minutes=minutes, at_meeting=future)
    assert refused.value.message_dict == {"at_meeting": ["Minutes are approved at a meeting that has taken place"]}


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_pdf_is_tagged_and_gives_confidential_notes_only_to_those_entitled(tenant_a, client_for):
    with scopes_disabled():
        observer = UserFactory()
        give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    meeting = _held(tenant_a)
    budget, staffing = _items(meeting)
    with scope(partnership=tenant_a.partnership):
        minutes_notes_save(actor=tenant_a.headteacher, item=budget, notes="The budget balances.")
        minutes_notes_save(actor=tenant_a.headteacher, item=staffing, notes="The deputy is leaving at Easter.")
        decision_record(actor=tenant_a.headteacher, item=budget, text="Agreed the budget")
        minutes_circulate(actor=tenant_a.coordinator, meeting=meeting)
    url = reverse("meetings:minutes_pdf", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": meeting.pk})
    invited = client_for(tenant_a.headteacher).get(url)
    assert invited.status_code == 200 and invited["Content-Type"] == "application/pdf"
    text = _pdf_text(invited.content)
    assert "The budget balances." in text and "The deputy is leaving at Easter." in text
    assert "Decision: Agreed the budget" in text and "Confidential version" in text
    reader = PdfReader(io.BytesIO(invited.content))
    assert reader.metadata.title.startswith("Minutes: Partnership meeting")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    outsider = _pdf_text(client_for(observer).get(url).content)
    assert "The budget balances." in outsider and "The deputy is leaving at Easter." not in outsider
    assert "in the confidential version of the minutes" in outsider


def test_the_note_taker_saves_notes_in_place_and_errors_show_by_the_item(tenant_a, client_for):
    meeting = _held(tenant_a)
    budget, _ = _items(meeting)
    client = client_for(tenant_a.headteacher)
    url = reverse("meetings:minutes_write", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": meeting.pk})
    response = client.post(url, {"part": "notes", "item": budget.pk, "notes": "Discussed"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="status">Saved</p>' in response.content.decode()
    response = client.post(url, {"part": "decision", "item": budget.pk, "text": "", "votes_for": "many"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the decision, for example: Agreed the budget for 2027-28" in page
    assert "Enter the votes for as a whole number" in page
    response = client.post(url, {"part": "action", "description": "Send it", "owner": ""})
    assert (
        response.status_code == 400 and "Choose who will do it: every action has an owner" in response.content.decode()
    )
    with scopes_disabled():
        budget.refresh_from_db()
        assert budget.notes == "Discussed" and not budget.decisions.exists() and not meeting.actions.exists()


def test_the_minutes_pages_run_the_same_queries_for_3_and_30_items(tenant_a, client_for):
    from core.testing import assert_constant_queries

    meeting = _held(tenant_a)
    _present(tenant_a, meeting, tenant_a.schools[0])

    def more_items():
        for n in range(3, 31):
            item = AgendaItemFactory(meeting=meeting, position=n, notes=f"Notes {n}", confidential=n % 4 == 0)
            item.decisions.create(text=f"Decision {n}", recorded_by=tenant_a.coordinator)
            meeting.actions.create(
                item=item,
                description=f"Action {n}",
                owner=tenant_a.headteacher,
                due=timezone.localdate(),
                created_by=tenant_a.coordinator,
            )

    client = client_for(tenant_a.coordinator)
    for name in ("minutes_write", "minutes"):
        url = reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant_a.slug, "meeting_pk": meeting.pk})
        assert_constant_queries(client, url, grow=more_items if name == "minutes_write" else lambda: None, at_most=30)
