"""Meetings through the browser: the coordinator schedules one, moves it and cancels it; a headteacher
reads it on a phone. Every page is checked by the harness (axe-core, no sideways scrolling)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fill_date

pytestmark = pytest.mark.e2e


def test_coordinator_schedules_moves_and_cancels_a_meeting(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Meetings")
    assert site.path == f"/p/{slug}/meetings/"
    expect(page.get_by_role("table", name="Coming up")).to_contain_text("No meetings are scheduled.")

    site.submit("Schedule a meeting", status=200)
    site.submit("Schedule and send the invitations", status=400, name="meeting-empty")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what kind of meeting this is")
    expect(page.locator("#id_start_time-error")).to_contain_text("Enter the time the meeting starts")

    day = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Partnership meeting").check()
    page.get_by_label("Title").fill("Partnership meeting")
    fill_date(page, "Date", day)
    page.get_by_label("Starts at").fill("16:00")
    page.get_by_label("Ends at").fill("17:30")
    page.get_by_label("At a member school").select_option(label=tenant_a.schools[0].name)
    site.submit("Schedule and send the invitations", status=200, name="meeting-scheduled")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the invitations are on their way")
    expect(page.locator("h1")).to_have_text("Partnership meeting")
    invited = page.get_by_role("table", name="People invited (2)")
    expect(invited).to_contain_text(tenant_a.headteacher.full_name)
    expect(invited).to_contain_text("Sent")

    site.submit("Change the meeting", status=200)
    expect(page.get_by_label("Starts at")).to_have_value("16:00")
    page.get_by_label("Starts at").fill("15:30")
    site.submit("Save and tell everyone", status=200, name="meeting-moved")
    expect(page.locator(".govuk-summary-list")).to_contain_text("3:30pm to 5:30pm")

    site.submit("Cancel the meeting", status=200)
    site.submit("Cancel the meeting", status=400, name="meeting-cancel-empty")
    page.get_by_label("Why is the meeting cancelled?").fill("The hall is being repainted")
    site.submit("Cancel the meeting", status=200, name="meeting-cancelled")
    expect(page.locator(".govuk-inset-text")).to_contain_text("The hall is being repainted")

    # A headteacher on a phone reads the list and the meeting, with nothing off screen.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/", name="meetings-phone")
    expect(page.get_by_role("table", name="Coming up")).to_contain_text("Cancelled")
    site.follow("Partnership meeting", name="meeting-phone")
    expect(page.get_by_role("button", name="Cancel the meeting")).to_have_count(0)


def test_note_taker_records_attendance_in_place_and_sees_the_quorum_change(site, tenant_a):
    from django_scopes import scopes_disabled

    from partnerships.models import Constitution
    from tests.factories.meetings import MeetingFactory

    now = timezone.now()
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(quorum_kind="number", quorum_value=1)
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            note_taker=tenant_a.headteacher,
            starts=now - datetime.timedelta(minutes=10),
            ends=now + datetime.timedelta(hours=1),
        )
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/{meeting.pk}/")
    site.follow("Record attendance", name="attendance")
    quorum = page.locator("#quorum")
    expect(quorum).to_contain_text("0 of 2 schools represented; 1 needed. The meeting is not quorate.")
    row = page.locator(f"#school-{tenant_a.schools[0].pk}")
    row.get_by_label("Present", exact=True).check()
    url_before = page.url
    row.get_by_role("button", name=f"Save attendance of {tenant_a.schools[0].name}").click()
    expect(quorum).to_contain_text("1 of 2 schools represented; 1 needed. The meeting is quorate.")
    expect(page.locator(f"#school-{tenant_a.schools[0].pk}")).to_contain_text("Saved: present")
    assert page.url == url_before  # recorded in place, no new page
    site.check("attendance-recorded")


def test_coordinator_drafts_agrees_and_publishes_an_agenda_and_a_presenter_adds_a_paper(site, tenant_a, tmp_path):
    from django_scopes import scopes_disabled

    from tests.factories.documents import pdf_bytes
    from tests.factories.meetings import InviteeFactory, MeetingFactory

    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership, organiser=tenant_a.coordinator, chair=tenant_a.coordinator
        )
        InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/{meeting.pk}/")
    site.submit("Draft the agenda", status=200, name="agenda-empty")
    site.submit("Add an item", status=200)
    site.submit("Add the item", status=400, name="agenda-item-empty")
    expect(page.locator("#id_title-error")).to_contain_text("Enter the item's title")
    page.get_by_label("Item", exact=True).fill("Budget monitoring")
    page.get_by_label("Presenter (optional)").select_option(label=tenant_a.headteacher.full_name)
    page.get_by_label("Minutes allowed (optional)").fill("20")
    page.get_by_label("The meeting is asked to decide").check()
    site.submit("Add the item", status=200, name="agenda-one-item")
    site.submit("Add an item", status=200)
    page.get_by_label("Item", exact=True).fill("Welcome and apologies")
    site.submit("Add the item", status=200)
    up = page.get_by_role("button", name="move Welcome and apologies up")
    site.submit(status=200, name="agenda-moved", locator=up)
    agenda = page.get_by_role("table", name="Agenda (2 items)")
    expect(agenda.locator("tbody tr").first).to_contain_text("Welcome and apologies")

    site.submit("Agree the agenda", status=200, name="agenda-agree")
    site.submit("Agree the agenda", status=200, name="agenda-agreed")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Agreed by the chair")
    site.submit("Publish the agenda and papers", status=200, name="agenda-publish")
    site.submit("Publish and tell everyone", status=200, name="agenda-published")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("everyone invited is told")

    # The presenter adds their paper from the meeting's page.
    paper = tmp_path / "Budget report.pdf"
    paper.write_bytes(pdf_bytes(2, "Budget"))
    page.context.clear_cookies()
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/{meeting.pk}/", name="meeting-with-agenda")
    site.follow("Add your papers for Budget monitoring", name="item-papers")
    page.get_by_label("Paper", exact=True).set_input_files(str(paper))
    site.submit("Upload the paper", status=400, name="paper-undeclared")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that the paper holds no pupil-level data")
    page.get_by_label("Paper", exact=True).set_input_files(str(paper))
    page.get_by_label("This paper holds no pupil-level data").check()
    site.submit("Upload the paper", status=200, name="paper-uploaded")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Budget report.pdf added")
    site.follow("Back to the meeting")
    expect(page.get_by_role("link", name="Budget report.pdf")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the agenda pack").click()
    assert download.value.suggested_filename.endswith("-agenda-pack.pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"


def test_coordinator_schedules_a_half_termly_series_and_reads_it_in_the_month(site, tenant_a):
    from django_scopes import scopes_disabled

    from meetings.models import Meeting
    from partnerships.calendar import academic_year_label, academic_year_of
    from partnerships.models import Constitution

    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(min_meetings_per_year=6)
    page, slug = site.page, tenant_a.slug
    next_year = academic_year_label(academic_year_of(timezone.localdate()) + 1)
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/", name="meetings-short")
    expect(page.locator(".govuk-warning-text")).to_contain_text("The agreement asks for at least 6 a year")

    site.submit("Schedule a series", status=200, name="series-form")
    page.get_by_label("Week of the half term").fill("12")
    site.submit("Check the dates", status=400, name="series-bad-week")
    expect(page.locator("#id_week-error")).to_contain_text("between 1 and 8")

    page.get_by_label("Academic year").select_option(label=next_year)
    page.get_by_label("Week of the half term").fill("3")
    page.get_by_label("Day of the week").select_option(label="Wednesday")
    page.get_by_label("Starts at", exact=True).fill("16:00")
    page.get_by_label("Ends at", exact=True).fill("17:30")
    page.get_by_label("At a member school").select_option(label=tenant_a.schools[0].name)
    page.get_by_label("Hold a strategy group meeting before each partnership meeting").check()
    page.get_by_label("Strategy group meeting starts at").fill("15:00")
    page.get_by_label("Strategy group meeting ends at").fill("16:00")
    site.submit("Check the dates", status=200, name="series-check")
    dates = page.get_by_role("table", name="Meetings to schedule (12)")
    expect(dates).to_contain_text("Strategy group meeting, Autumn 1")
    expect(dates).to_contain_text("Partnership meeting, Summer 2")

    site.submit("Change the details", status=200, name="series-change")
    expect(page.get_by_label("Strategy group meeting starts at")).to_have_value("15:00")
    site.submit("Check the dates", status=200)
    site.submit("Schedule these meetings and send the invitations", status=200, name="series-scheduled")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"12 meetings scheduled for {next_year}")

    with scopes_disabled():
        first = Meeting.objects.filter(kind="partnership").order_by("starts").first()
    starts = timezone.localtime(first.starts)
    site.visit(f"/p/{slug}/meetings/month/{starts.year}/{starts.month}/", name="series-month")
    calendar = page.get_by_role("table", name=f"Meetings in {starts:%B %Y}, a week a row")
    expect(calendar.get_by_role("link", name=f"16:00 {first.title}")).to_be_visible()
    site.submit(status=200, name="series-next-month", locator=page.get_by_role("link", name="Next month"))

    # On a phone the month reads as the days that have meetings, nothing off screen.
    page.set_viewport_size(PHONE)
    site.visit(f"/p/{slug}/meetings/month/{starts.year}/{starts.month}/", name="series-month-phone")
    site.follow(f"16:00 {first.title}", name="series-meeting-phone")
    expect(page.locator("h1")).to_have_text(first.title)


def test_coordinator_sends_a_failed_notice_again_and_prints_one_for_someone_without_email(site, tenant_a):
    from django_scopes import scopes_disabled

    from core.models import OutboxMessage
    from meetings.services.scheduling import meeting_schedule
    from schools.models import Person
    from tests.factories.meetings import InviteeFactory
    from tests.factories.schools import PersonFactory

    starts = timezone.localtime() + datetime.timedelta(days=30)
    starts = starts.replace(hour=16, minute=0, second=0, microsecond=0)
    with scopes_disabled():
        meeting = meeting_schedule(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            kind="partnership",
            title="Partnership meeting",
            starts=starts,
            ends=starts + datetime.timedelta(hours=1, minutes=30),
            venue_school=tenant_a.schools[0],
        )
        OutboxMessage.objects.filter(recipient=tenant_a.headteacher.email.lower()).update(
            state="failed", attempts=8, last_error="SMTPRecipientsRefused: 550 No such mailbox"
        )
        person = PersonFactory(
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            email="",
            full_name="Pat Jones",
            position=Person.Position.DEPUTY_HEAD,
        )
        InviteeFactory(meeting=meeting, person=person, school=tenant_a.schools[0])
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/{meeting.pk}/", name="meeting-failed-notice")
    site.follow(f"Send again to {tenant_a.headteacher.full_name}", name="notice-resend")
    expect(page.locator(".govuk-summary-list")).to_contain_text("550 No such mailbox")
    site.submit("Send the notice again", status=200, name="notice-resent")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is being sent again")
    site.follow("Print their notice for Pat Jones", name="notice-print")
    expect(page.locator("h1")).to_have_text("Partnership meeting")
    expect(page.locator(".cr-notice")).to_contain_text("To Pat Jones")
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header")).to_be_hidden()
    expect(page.locator(".cr-notice")).to_be_visible()
    site.screenshot("notice-printed")


def test_note_taker_writes_the_minutes_in_place_and_a_decision_taken_inquorate_is_flagged(site, tenant_a):
    from django_scopes import scopes_disabled

    from partnerships.models import Constitution
    from tests.factories.meetings import AgendaItemFactory, MeetingFactory

    now = timezone.now()
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(quorum_kind="number", quorum_value=2)
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            note_taker=tenant_a.headteacher,
            starts=now - datetime.timedelta(hours=2),
            ends=now - datetime.timedelta(minutes=5),
        )
        AgendaItemFactory(meeting=meeting, position=1, title="Budget", decision_needed=True)
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/{meeting.pk}/")
    site.follow("Write the minutes", name="minutes-write")
    expect(page.locator("#quorum")).to_contain_text("The meeting is not quorate")
    url_before = page.url
    page.get_by_label("Notes of Budget").fill("The budget balances; reserves are healthy.")
    page.get_by_role("button", name="Save the notes of Budget").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert page.url == url_before  # saved in place
    page.get_by_text("Minute a decision").click()
    page.get_by_label("Decision", exact=True).fill("Agreed the budget for 2027-28")
    page.get_by_label("For", exact=True).fill("1")
    page.get_by_role("button", name="Minute the decision").click()
    expect(page.locator(".cr-minutes-item")).to_contain_text("Taken while the meeting was not quorate")
    site.check("minutes-decision-inquorate")

    site.submit("Preview the minutes", status=200, name="minutes-preview")
    expect(page.locator("main")).to_contain_text("The budget balances; reserves are healthy.")
    expect(page.locator("main")).to_contain_text("Decision: Agreed the budget for 2027-28")


def test_every_other_meetings_page_passes_the_checks(site, tenant_a):
    """The pages no walk-through above reaches, each with something on it, checked by the harness."""
    from django_scopes import scopes_disabled

    from meetings.models import ActionPoint, Attendance, Minutes
    from partnerships.roles import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.meetings import AgendaItemFactory, MeetingFactory, paper_for
    from tests.factories.partnerships import give_role

    now = timezone.now()
    with scopes_disabled():
        chair = UserFactory(full_name="Chair Person")
        give_role(chair, tenant_a.partnership, Role.CHAIR)
        held = []
        for days in (21, 7):
            meeting = MeetingFactory(
                partnership=tenant_a.partnership,
                organiser=tenant_a.coordinator,
                chair=chair,
                title=f"Partnership meeting {days}",
                starts=now - datetime.timedelta(days=days),
                ends=now - datetime.timedelta(days=days) + datetime.timedelta(hours=1),
            )
            for school, status in zip(tenant_a.schools, ("absent", "present"), strict=True):
                Attendance.objects.create(
                    meeting=meeting, school=school, status=status, recorded_by=tenant_a.coordinator
                )
            AgendaItemFactory(meeting=meeting, position=1, title="Budget", notes="Discussed")
            held.append(meeting)
        Minutes.objects.create(meeting=held[0], status="circulated", circulated_at=now)
        action = ActionPoint.objects.create(
            meeting=held[0],
            description="Send the budget to governors",
            owner=tenant_a.coordinator,
            due=timezone.localdate() - datetime.timedelta(days=2),
            created_by=tenant_a.coordinator,
        )
        coming = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, chair=chair)
        item = AgendaItemFactory(meeting=coming, position=1, title="Budget")
        AgendaItemFactory(meeting=coming, position=2, title="Staffing")
        paper = paper_for(item, uploaded_by=tenant_a.coordinator)
    slug, school = tenant_a.slug, tenant_a.schools[0]
    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    expect(site.page.locator("main")).to_contain_text("You have 1 overdue action.")
    expect(site.page.locator("main")).to_contain_text(f"Follow up {school.name}")
    for path in (
        f"/p/{slug}/meetings/actions/",
        f"/p/{slug}/meetings/actions/?status=open&owner={tenant_a.coordinator.pk}",
        f"/p/{slug}/meetings/actions/{action.pk}/done/",
        f"/p/{slug}/meetings/follow-up/{school.urn}/",
        f"/p/{slug}/members/{school.urn}/",
        f"/p/{slug}/meetings/{held[0].pk}/minutes/",
        f"/p/{slug}/meetings/{held[1].pk}/minutes/write/",
        f"/p/{slug}/meetings/{held[1].pk}/minutes/circulate/",
        f"/p/{slug}/meetings/{held[1].pk}/minutes/approve/",
        f"/p/{slug}/meetings/{coming.pk}/agenda/deadline/",
        f"/p/{slug}/meetings/items/{item.pk}/move/",
        f"/p/{slug}/meetings/items/{item.pk}/remove/",
        f"/p/{slug}/meetings/papers/{paper.pk}/remove/",
    ):
        site.visit(path)
    site.visit(f"/p/{slug}/meetings/actions/?status=lost&due_by_day=40", name="actions-bad-filter")
    expect(site.page.locator(".govuk-error-message").first).to_be_visible()


def test_headteacher_sends_apologies_with_a_deputy_as_substitute(site, tenant_a):
    from django_scopes import scopes_disabled

    from schools.models import Person
    from tests.factories.meetings import InviteeFactory, MeetingFactory
    from tests.factories.schools import PersonFactory

    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator)
        InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
        PersonFactory(
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            full_name="Dee Marsh",
            position=Person.Position.DEPUTY_HEAD,
        )
    page, slug = site.page, tenant_a.slug
    site.login(tenant_a.headteacher, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/meetings/{meeting.pk}/")
    site.submit("Answer the invitation", status=200, name="answer")
    page.get_by_label("No, I send my apologies").check()
    site.submit("Send your answer", status=400, name="answer-no-reason")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for your apologies")
    page.get_by_label("No, someone from my school will come in my place").check()
    page.get_by_label("Who will come in your place").select_option(label="Dee Marsh")
    site.submit("Send your answer", status=200, name="answer-substitute")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sending a substitute")
    invited = page.get_by_role("table", name="People invited (2)")
    expect(invited).to_contain_text("Dee Marsh")
    expect(invited).to_contain_text(f"In place of {tenant_a.headteacher.full_name}")
