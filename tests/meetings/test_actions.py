"""Action points: a list filtered by owner, status, meeting and due date; done by the owner with a note;
reminders before and after the due date; overdue ones on the owner's dashboard. And the follow-up of a
school absent without apologies from partnership meetings in a row (Exeter 5.1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import OutboxMessage
from core.testing import assert_constant_queries
from meetings.models import ActionPoint, Attendance, FollowUp
from meetings.services.minutes import action_done, follow_up_record
from meetings.tasks import ACTION_REMINDER, send_meeting_reminders
from partnerships.models import Constitution
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db


def _meeting(tenant, days_ago: int = 7):
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    with scopes_disabled():
        return MeetingFactory(
            partnership=tenant.partnership,
            organiser=tenant.coordinator,
            starts=starts,
            ends=starts + datetime.timedelta(hours=1),
        )


def _action(tenant, meeting, *, owner=None, due_in: int = 7, text: str = "Send the budget") -> ActionPoint:
    with scopes_disabled():
        return ActionPoint.objects.create(
            meeting=meeting,
            description=text,
            owner=owner or tenant.headteacher,
            due=timezone.localdate() + datetime.timedelta(days=due_in),
            created_by=tenant.coordinator,
        )


def _url(tenant, name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"partnership_slug": tenant.slug, **kwargs})


def test_the_list_filters_by_owner_status_and_due_date(tenant_a, client_for):
    meeting = _meeting(tenant_a)
    mine = _action(tenant_a, meeting, text="Mine, soon", due_in=2)
    _action(tenant_a, meeting, owner=tenant_a.coordinator, text="Coordinator's, later", due_in=40)
    done = _action(tenant_a, meeting, text="Mine, done", due_in=1)
    with scope(partnership=tenant_a.partnership):
        action_done(actor=tenant_a.headteacher, action=done, note="Sent on Monday")
    client = client_for(tenant_a.headteacher)
    page = client.get(_url(tenant_a, "actions"), {"owner": tenant_a.headteacher.pk, "status": "open"})
    text = page.content.decode()
    assert page.status_code == 200 and "Mine, soon" in text
    assert "Coordinator&#x27;s, later" not in text and "Mine, done" not in text
    due = timezone.localdate() + datetime.timedelta(days=10)
    text = client.get(
        _url(tenant_a, "actions"), {"due_by_day": due.day, "due_by_month": due.month, "due_by_year": due.year}
    ).content.decode()
    assert "Mine, soon" in text and "Mine, done" in text and "Coordinator&#x27;s, later" not in text
    bad = client.get(_url(tenant_a, "actions"), {"status": "lost", "due_by_day": "31", "due_by_month": "2"})
    assert bad.status_code == 200
    assert "Choose open or done" in bad.content.decode()
    assert mine.pk


def test_the_list_runs_the_same_queries_for_10_and_100_actions(tenant_a, client_for):
    meeting = _meeting(tenant_a)
    for n in range(10):
        _action(tenant_a, meeting, text=f"Action {n}")
    assert_constant_queries(
        client_for(tenant_a.coordinator),
        _url(tenant_a, "actions"),
        grow=lambda: [_action(tenant_a, _meeting(tenant_a, 3), text=f"More {n}") for n in range(90)],
        at_most=20,
    )


def test_the_owner_marks_an_action_done_with_a_note_and_nobody_else_can(tenant_a, client_for):
    action = _action(tenant_a, _meeting(tenant_a))
    with scopes_disabled():
        other = UserFactory()
        give_role(other, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    url = _url(tenant_a, "action_done", action_pk=action.pk)
    assert client_for(other).post(url, {"note": "Not mine"}).status_code == 403
    owner = client_for(tenant_a.headteacher)
    response = owner.post(url, {"note": ""})
    assert response.status_code == 400
    assert "Say what was done, so the next meeting can note it" in response.content.decode()
    assert owner.post(url, {"note": "Sent to governors"}).status_code == 302
    with scopes_disabled():
        action.refresh_from_db()
    assert (action.status, action.done_note, action.done_by) == ("done", "Sent to governors", tenant_a.headteacher)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError, match="already done"):
        action_done(actor=tenant_a.coordinator, action=action, note="Again")


def test_overdue_actions_are_on_the_owners_dashboard(tenant_a, client_for):
    _action(tenant_a, _meeting(tenant_a), text="Write the report", due_in=-2)
    page = client_for(tenant_a.headteacher).get(
        reverse("partnerships:dashboard", kwargs={"partnership_slug": tenant_a.slug})
    )
    text = page.content.decode()
    assert "You have 1 overdue action." in text and "Write the report" in text


def test_owners_are_reminded_as_an_action_falls_due_and_once_when_it_is_overdue(tenant_a):
    action = _action(tenant_a, _meeting(tenant_a), due_in=2)
    _action(tenant_a, _meeting(tenant_a), due_in=20)  # not yet
    assert send_meeting_reminders(partnership_id=tenant_a.partnership.pk) == 1
    assert send_meeting_reminders(partnership_id=tenant_a.partnership.pk) == 0
    with scopes_disabled():
        ActionPoint.objects.filter(pk=action.pk).update(due=timezone.localdate() - datetime.timedelta(days=1))
    assert send_meeting_reminders(partnership_id=tenant_a.partnership.pk) == 1
    with scopes_disabled():
        subjects = list(OutboxMessage.objects.filter(kind=ACTION_REMINDER).values_list("subject", flat=True))
    assert subjects[0].startswith("Action due soon from Partnership meeting")
    assert subjects[1].startswith("Overdue action from Partnership meeting")


def _absent(tenant, school, *days_ago, status="absent"):
    meetings = []
    for days in days_ago:
        meeting = _meeting(tenant, days)
        with scopes_disabled():
            Attendance.objects.create(meeting=meeting, school=school, status=status, recorded_by=tenant.coordinator)
            other = [s for s in tenant.schools if s != school][0]
            Attendance.objects.create(meeting=meeting, school=other, status="present", recorded_by=tenant.coordinator)
        meetings.append(meeting)
    return meetings


def test_a_school_absent_from_two_meetings_in_a_row_is_flagged_to_the_chair_who_follows_it_up(tenant_a, client_for):
    school = tenant_a.schools[0]
    _absent(tenant_a, school, 49, 21, 7)
    with scopes_disabled():
        chair = UserFactory(full_name="Chair Person")
        give_role(chair, tenant_a.partnership, Role.CHAIR)
    client = client_for(chair)
    dashboard = client.get(reverse("partnerships:dashboard", kwargs={"partnership_slug": tenant_a.slug}))
    assert f"Follow up {school.name}" in dashboard.content.decode()
    school_page = reverse("members:school", kwargs={"partnership_slug": tenant_a.slug, "school_urn": school.urn})
    assert "Not followed up yet" in client.get(school_page).content.decode()
    url = _url(tenant_a, "follow_up", school_urn=school.urn)
    assert client.post(url, {"note": ""}).status_code == 400
    assert client.post(url, {"note": "Spoke to the head: a deputy will come"}).status_code == 302
    text = client.get(school_page).content.decode()
    assert "Followed up by Chair Person" in text and "a deputy will come" in text
    assert (
        f"Follow up {school.name}"
        not in client.get(
            reverse("partnerships:dashboard", kwargs={"partnership_slug": tenant_a.slug})
        ).content.decode()
    )
    headteacher = client_for(tenant_a.headteacher)
    assert headteacher.post(url, {"note": "Me"}).status_code == 403
    with scopes_disabled():
        assert FollowUp.objects.count() == 1


def test_apologies_break_a_run_and_the_constitution_sets_how_long_a_run_is(tenant_a):
    school = tenant_a.schools[0]
    _absent(tenant_a, school, 21, status="apologies")
    _absent(tenant_a, school, 7)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError, match="has not missed enough"):
        follow_up_record(actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=school, note="x")
    _absent(tenant_a, school, 3)
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(absences_before_follow_up=3)
    with scope(partnership=tenant_a.partnership), pytest.raises(ValidationError, match="has not missed enough"):
        follow_up_record(actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=school, note="x")
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(absences_before_follow_up=2)
    with scope(partnership=tenant_a.partnership):
        follow_up = follow_up_record(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=school, note="Wrote to the head"
        )
        assert follow_up.last_absence.starts > timezone.now() - datetime.timedelta(days=4)
        with pytest.raises(ValidationError, match="already recorded"):
            follow_up_record(actor=tenant_a.coordinator, partnership=tenant_a.partnership, school=school, note="y")


def test_the_dashboard_counts_every_overdue_action_and_unanswered_invitation_though_it_lists_five(tenant_a, client_for):
    meeting = _meeting(tenant_a)
    for n in range(7):
        _action(tenant_a, meeting, text=f"Overdue job {n}", due_in=-2 - n)
    starts = timezone.now() + datetime.timedelta(days=20)
    with scopes_disabled():
        for n in range(6):
            later = MeetingFactory(
                partnership=tenant_a.partnership,
                organiser=tenant_a.coordinator,
                title=f"Later meeting {n}",
                starts=starts + datetime.timedelta(days=n),
                ends=starts + datetime.timedelta(days=n, hours=1),
            )
            later.invitees.create(user=tenant_a.headteacher)
    page = client_for(tenant_a.headteacher).get(
        reverse("partnerships:dashboard", kwargs={"partnership_slug": tenant_a.slug})
    )
    text = page.content.decode()
    assert "You have 7 overdue actions." in text and "You have not answered 6 invitations." in text
    assert text.count("Overdue job") == 5 and text.count("Answer: Later meeting") == 5
    assert "The first 5; " in text and "The first 5, soonest first:" in text
