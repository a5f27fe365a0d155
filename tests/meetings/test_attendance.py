"""Attendance on the day and the quorum it makes, by the constitution's rule: schools present or
represented by a substitute, over the member schools on the day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.testing import assert_constant_queries
from meetings.models import Attendance
from meetings.selectors import attendance_sheet
from meetings.services.scheduling import attendance_record
from partnerships.models import Constitution
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_meeting(tenant_a):
    now = timezone.now()
    with scopes_disabled():
        return MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            note_taker=tenant_a.headteacher,
            starts=now - datetime.timedelta(minutes=30),
            ends=now + datetime.timedelta(minutes=60),
        )


def quorum_rule(tenant, kind, value):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant.partnership).update(quorum_kind=kind, quorum_value=value)


def attendance_url(tenant, meeting):
    return reverse("meetings:attendance", kwargs={"partnership_slug": tenant.slug, "meeting_pk": meeting.pk})


def test_the_quorum_follows_the_constitution_and_a_substitute_counts(tenant_a, today_meeting):
    quorum_rule(tenant_a, "number", 2)
    s0, s1 = tenant_a.schools
    with scope(partnership=tenant_a.partnership):
        assert attendance_sheet(today_meeting)["quorum"].is_quorate is False
        attendance_record(actor=tenant_a.headteacher, meeting=today_meeting, school=s0, status="present")
        quorum = attendance_sheet(today_meeting)["quorum"]
        assert (quorum.represented, quorum.needed, quorum.is_quorate) == (1, 2, False)
        attendance_record(actor=tenant_a.headteacher, meeting=today_meeting, school=s1, status="apologies")
        assert attendance_sheet(today_meeting)["quorum"].is_quorate is False
        attendance_record(actor=tenant_a.coordinator, meeting=today_meeting, school=s1, status="substitute")
        quorum = attendance_sheet(today_meeting)["quorum"]
        assert (quorum.represented, quorum.is_quorate) == (2, True)
        assert "2 of 2 schools represented; 2 needed. The meeting is quorate." == quorum.explanation()


def test_a_percentage_quorum_is_rounded_up_over_the_members_on_the_day(tenant_a, today_meeting):
    quorum_rule(tenant_a, "percent", 50)
    with scopes_disabled():
        MembershipFactory(partnership=tenant_a.partnership)  # 3 members: 50% needs 2
    with scope(partnership=tenant_a.partnership):
        attendance_record(
            actor=tenant_a.headteacher, meeting=today_meeting, school=tenant_a.schools[0], status="present"
        )
        quorum = attendance_sheet(today_meeting)["quorum"]
    assert (quorum.schools, quorum.needed, quorum.is_quorate) == (3, 2, False)


def test_only_the_note_taker_or_the_coordinator_records_and_not_before_the_day(tenant_a, today_meeting, client_for):
    other = UserFactory()
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError, match="note-taker or the coordinator"):
            attendance_record(actor=other, meeting=today_meeting, school=tenant_a.schools[0], status="present")
        with scopes_disabled():
            later = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        with pytest.raises(ValidationError, match="on the day of the meeting"):
            attendance_record(actor=tenant_a.coordinator, meeting=later, school=tenant_a.schools[0], status="present")
    with scopes_disabled():
        assert not Attendance.objects.exists()


def test_a_school_that_is_not_a_member_is_refused_next_to_the_field(tenant_a, tenant_b, today_meeting, client_for):
    response = client_for(tenant_a.headteacher).post(
        attendance_url(tenant_a, today_meeting), {"school": tenant_b.schools[0].pk, "status": "present"}
    )
    assert response.status_code == 400 and "Choose a member school at this meeting" in response.content.decode()
    with scopes_disabled():
        assert not Attendance.objects.exists()


def test_the_note_taker_records_in_place_and_sees_the_quorum_change(tenant_a, today_meeting, client_for):
    quorum_rule(tenant_a, "number", 1)
    client = client_for(tenant_a.headteacher)  # the note-taker
    page = client.get(attendance_url(tenant_a, today_meeting)).content.decode()
    assert "0 of 2 schools represented; 1 needed. The meeting is not quorate." in page
    response = client.post(
        attendance_url(tenant_a, today_meeting),
        {"school": tenant_a.schools[0].pk, "status": "present"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # the page itself, for htmx to take the row and the quorum from
    page = response.content.decode()
    assert "1 of 2 schools represented; 1 needed. The meeting is quorate." in page and "Saved: present" in page
    with scopes_disabled():
        assert Attendance.objects.get().recorded_by == tenant_a.headteacher


def test_the_attendance_page_runs_the_same_queries_for_a_few_schools_and_many(tenant_a, today_meeting, client_for):
    def grow():
        for _ in range(60):
            school = MembershipFactory(partnership=tenant_a.partnership).school
            Attendance.objects.create(
                meeting=today_meeting, school=school, status="present", recorded_by=tenant_a.coordinator
            )

    assert_constant_queries(
        client_for(tenant_a.coordinator), attendance_url(tenant_a, today_meeting), grow=grow, at_most=25
    )
