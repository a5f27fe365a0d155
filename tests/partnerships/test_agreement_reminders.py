"""Reminders about the partnership agreement, found by the daily beat task: to sign (at most once a week,
none in the first week after the copies were made, when publishing asked), and to the coordinator and
the chair three months and one month before the agreement in force ends. Each is an AgreementReminder
row written with its outbox message, so a run repeated the same day sends nothing twice. Then what the
dashboard shows of the same: the agreement ending or expired, and the copies for you to sign."""

import datetime
import email
from email import policy

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from core.models import OutboxMessage
from core.testing import assert_constant_queries
from partnerships.models import (
    AgreementCopy,
    AgreementMember,
    AgreementReminder,
    AgreementVersion,
    Membership,
    RoleAssignment,
)
from partnerships.roles import Role
from partnerships.selectors.reminders import sign_reminders_due
from partnerships.services.agreements import agreement_publish, agreement_renew, agreement_term_set
from partnerships.services.signing import agreement_copies_make, agreement_copy_seal, agreement_sign
from partnerships.tasks.agreements import (
    remind_agreement_expiry,
    remind_agreement_signatories,
    send_agreement_reminders_everywhere,
)
from schools.models import School
from tests.clock import on_day, roles_held_since
from tests.factories.accounts import UserFactory
from tests.factories.agreements import PASSWORD, signing_partnership
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db

D = datetime.date
K = AgreementReminder.Kind
DAY0 = D(2025, 10, 6)  # the day the copies were made, after publishing
ENDS = D(2027, 8, 31)  # the last day of signing_partnership()'s version
THREE_MONTHS_BEFORE = D(2027, 5, 31)
ONE_MONTH_BEFORE = D(2027, 7, 31)


def day(n: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=n)


def _made_on(version, on: datetime.date) -> None:
    made_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    AgreementCopy.objects.filter(version=version).update(made_at=made_at)


@pytest.fixture
def signing():
    """Two schools, each copy signed by its head, its chair of governors and the partnership's chair;
    the copies made on DAY0, everyone in their role since the version started."""
    s = signing_partnership()
    agreement_copies_make(version=s.version)
    _made_on(s.version, DAY0)
    roles_held_since(s.partnership, D(2024, 9, 1))
    return s


def _remind(s, on: datetime.date) -> int:
    with on_day(on):
        return remind_agreement_signatories(partnership_id=s.partnership.pk)


def _expiry(s, on: datetime.date) -> int:
    with on_day(on):
        return remind_agreement_expiry(partnership_id=s.partnership.pk)


def _rows(kind: str) -> list[OutboxMessage]:
    with scopes_disabled():
        return list(OutboxMessage.objects.filter(kind=kind).order_by("pk"))


def _sign_reminders() -> list[OutboxMessage]:
    return _rows("agreement.sign_reminder")


def _by_recipient(rows) -> dict[str, OutboxMessage]:
    return {row.recipient: row for row in rows}


def _copy_url(s, school) -> str:
    return f"{settings.SITE_URL}/p/{s.partnership.slug}/agreement/copies/{s.copy(school).pk}/"


def _sign(s, user, school, kind, on):
    with on_day(on), scope(partnership=s.partnership):
        copy = s.copy(school)
        agreement_sign(
            actor=user,
            copy=copy,
            block=s.block(kind),
            name=user.full_name,
            agreed=True,
            document_sha256=copy.blank_sha256,
            password=PASSWORD,
        )


def _everyone(s) -> list:
    return [*s.heads.values(), *s.governors.values(), s.chair]


# --- Reminders to sign -------------------------------------------------------------------------------


def test_no_reminder_in_the_first_week_then_one_to_each_signatory_listing_their_copies(signing):
    s = signing
    for quiet in (day(0), day(1), day(6)):
        assert _remind(s, quiet) == 0
    assert _sign_reminders() == []
    assert _remind(s, day(8)) == 5  # two heads, two chairs of governors, the partnership's chair
    rows = _by_recipient(_sign_reminders())
    assert sorted(rows) == sorted(u.email.lower() for u in _everyone(s))
    first, second = s.schools
    chair = rows[s.chair.email.lower()]
    assert chair.subject == "Reminder: please sign version 1 of the Heart of Manchester agreement"
    assert chair.about == f"agreement-reminder:{s.version.pk}:{day(8).isoformat()}"
    assert _copy_url(s, first) in chair.text and _copy_url(s, second) in chair.text
    head = rows[s.heads[first.pk].email.lower()]
    assert _copy_url(s, first) in head.text and _copy_url(s, second) not in head.text
    assert first.name in head.text and second.name not in head.text
    with scopes_disabled():
        reminders = AgreementReminder.objects.filter(kind=K.SIGN)
        assert {(r.version_id, r.day) for r in reminders} == {(s.version.pk, day(8))}
        assert reminders.count() == 5
        events = list(AuditEvent.objects.filter(action=AuditAction.AGREEMENT_REMINDED))
        assert len(events) == 5 and {e.actor for e in events} == {None}
        assert {e.partnership for e in events} == {s.partnership}
        chair_event = next(e for e in events if e.data["user"] == s.chair.pk)
        assert sorted(chair_event.data["copies"]) == sorted(s.copy(school).pk for school in s.schools)


def test_at_most_one_reminder_a_week(signing):
    s = signing
    assert _remind(s, day(8)) == 5
    assert _remind(s, day(8)) == 0  # the same day again
    assert _remind(s, day(10)) == 0  # within the week
    assert _remind(s, day(14)) == 0  # six days on
    assert _remind(s, day(15)) == 5  # a week on
    assert _remind(s, day(15)) == 0
    # A run missed for a few days: the next week counts from the last reminder, not from the copies.
    assert _remind(s, day(25)) == 5
    assert _remind(s, day(31)) == 0
    assert _remind(s, day(32)) == 5
    with scopes_disabled():
        days = sorted(set(AgreementReminder.objects.filter(kind=K.SIGN).values_list("day", flat=True)))
    assert days == [day(8), day(15), day(25), day(32)]
    assert len(_sign_reminders()) == 20


def test_a_signatory_who_has_signed_everything_is_not_reminded(signing):
    s = signing
    for school in s.schools:
        _sign(s, s.chair, school, "partnership_chair", day(2))
    first = s.schools[0]
    _sign(s, s.heads[first.pk], first, "headteacher", day(3))
    assert _remind(s, day(8)) == 3
    reminded = set(_by_recipient(_sign_reminders()))
    assert s.chair.email.lower() not in reminded
    assert s.heads[first.pk].email.lower() not in reminded
    # The chair of governors of the same school still has that copy to sign.
    assert s.governors[first.pk].email.lower() in reminded


def test_a_complete_copy_is_not_mentioned(signing):
    s = signing
    first, second = s.schools
    for user, kind in ((s.heads[first.pk], "headteacher"), (s.governors[first.pk], "chair_of_governors")):
        _sign(s, user, first, kind, day(1))
    _sign(s, s.chair, first, "partnership_chair", day(1))
    with scope(partnership=s.partnership):
        assert agreement_copy_seal(copy=s.copy(first)).status == AgreementCopy.Status.SIGNED
    assert _remind(s, day(8)) == 3  # the second school's head and chair of governors, and the chair
    rows = _by_recipient(_sign_reminders())
    assert s.heads[first.pk].email.lower() not in rows and s.governors[first.pk].email.lower() not in rows
    chair = rows[s.chair.email.lower()]
    assert _copy_url(s, second) in chair.text and _copy_url(s, first) not in chair.text
    assert "Please sign it for:" in chair.text


def test_a_superseded_version_gets_no_reminders_and_its_successor_waits_a_week(signing):
    s = signing
    with on_day(day(5)), scope(partnership=s.partnership):
        renewal = agreement_renew(actor=s.coordinator, version=s.version)
        agreement_term_set(actor=s.coordinator, version=renewal, starts=day(5), ends=D(2028, 8, 31))
        agreement_publish(actor=s.coordinator, version=renewal)
    with scopes_disabled():
        assert AgreementVersion.objects.get(pk=s.version.pk).status == AgreementVersion.Status.SUPERSEDED
    assert _remind(s, day(8)) == 0  # version 1's copies are void; version 2's are not made yet
    with scopes_disabled():
        agreement_copies_make(version=renewal)
        _made_on(renewal, day(9))
    assert _remind(s, day(15)) == 0  # version 2's copies are not a week old
    assert _remind(s, day(16)) == 5
    with scopes_disabled():
        assert set(AgreementReminder.objects.values_list("version_id", flat=True)) == {renewal.pk}
    assert {r.subject for r in _sign_reminders()} == {
        "Reminder: please sign version 2 of the Heart of Manchester agreement"
    }


def test_someone_who_takes_a_signing_role_later_is_reminded_of_the_copy(signing):
    s = signing
    first = s.schools[0]
    with scopes_disabled():
        RoleAssignment.objects.filter(user=s.heads[first.pk], role=Role.HEADTEACHER).update(end=day(9))
    new_head = UserFactory(full_name="New Head")
    give_role(new_head, s.partnership, Role.HEADTEACHER, first, start=day(10))
    assert _remind(s, day(8)) == 5
    assert _remind(s, day(10)) == 1  # the new head: the old one's reminder was theirs, not the role's
    assert [r.recipient for r in _sign_reminders()][-1] == new_head.email.lower()


def test_finding_who_is_due_takes_the_same_queries_for_fifty_schools(signing):
    s = signing
    with on_day(day(8)), scope(partnership=s.partnership):
        with CaptureQueriesContext(connection) as small:
            assert len(sign_reminders_due(s.partnership)) == 5
        _grow(s, 48)
        with CaptureQueriesContext(connection) as large:
            assert len(sign_reminders_due(s.partnership)) == 5 + 2 * 48
    assert len(small.captured_queries) == len(large.captured_queries) <= 6


def _grow(s, schools: int) -> None:
    """More member schools under the version, each with its copy (stored bytes are not needed to
    remind), a head and a chair of governors."""
    with scopes_disabled():
        made = School.objects.bulk_create(
            School(urn=700000 + i, name=f"Grown School {i:02}", phase="primary") for i in range(schools)
        )
        Membership.objects.bulk_create(Membership(partnership=s.partnership, school=x, joined=DAY0) for x in made)
        AgreementMember.objects.bulk_create(AgreementMember(version=s.version, school=x) for x in made)
        made_at = timezone.make_aware(datetime.datetime.combine(DAY0, datetime.time(10)))
        AgreementCopy.objects.bulk_create(
            AgreementCopy(version=s.version, school=x, identifier=f"GROWN-{i:04}", blank="x", made_at=made_at)
            for i, x in enumerate(made)
        )
        for i, school in enumerate(made):
            for role, who in ((Role.HEADTEACHER, "Head"), (Role.CHAIR_OF_GOVERNORS, "Governor")):
                user = UserFactory(full_name=f"{who} {i:02}")
                RoleAssignment.objects.create(
                    user=user, partnership=s.partnership, role=role, school=school, start=D(2024, 9, 1)
                )


def test_the_reminder_arrives_over_smtp_with_text_and_html_parts(
    signing, smtp_server, django_capture_on_commit_callbacks
):
    s = signing
    first = s.schools[0]
    with django_capture_on_commit_callbacks(execute=True):
        assert _remind(s, day(8)) == 5
    messages = {m["To"]: m for m in smtp_server.messages}
    head = messages[s.heads[first.pk].email.lower()]
    assert head["Subject"] == "Reminder: please sign version 1 of the Heart of Manchester agreement"
    text = head.get_body(preferencelist=("plain",)).get_content()
    html = head.get_body(preferencelist=("html",)).get_content()
    assert text.startswith(f"Dear Head of {first.name},")
    assert "is still waiting for your signature" in text and "31 August 2027" in text
    assert f"- {first.name}: {_copy_url(s, first)}" in text
    assert "we will remind you once a week" in text
    assert f'<a href="{_copy_url(s, first)}"' in html and html.startswith("<!DOCTYPE html>")


# --- Reminders that the agreement ends -----------------------------------------------------------------


def _expiry_rows() -> list[OutboxMessage]:
    return _rows("agreement.expiry_reminder")


def _parsed(row: OutboxMessage):
    """The row's two parts as a mail reader would have them: a multipart message built from them and
    read back with the standard library's parser."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(row.subject, row.text, "from@example.org", [row.recipient])
    message.attach_alternative(row.html, "text/html")
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return (
        parsed.get_body(preferencelist=("plain",)).get_content(),
        parsed.get_body(preferencelist=("html",)).get_content(),
    )


def test_three_months_then_one_month_before_the_end_the_coordinator_and_the_chair_are_told_once(signing):
    s = signing
    assert _expiry(s, THREE_MONTHS_BEFORE - datetime.timedelta(days=1)) == 0
    assert _expiry(s, THREE_MONTHS_BEFORE) == 2
    assert _expiry(s, THREE_MONTHS_BEFORE) == 0
    assert _expiry(s, THREE_MONTHS_BEFORE + datetime.timedelta(days=20)) == 0  # once per version, not per day
    rows = _by_recipient(_expiry_rows())
    assert sorted(rows) == sorted([s.coordinator.email.lower(), s.chair.email.lower()])
    assert {r.subject for r in rows.values()} == {"The Heart of Manchester agreement ends on 31 August 2027"}
    coordinator_text, coordinator_html = _parsed(rows[s.coordinator.email.lower()])
    renew = f"/p/{s.partnership.slug}/agreement/versions/{s.version.pk}/renew/"
    assert "ends on 31 August 2027, in three months" in coordinator_text
    assert f"Renew the agreement:\n{settings.SITE_URL}{renew}" in coordinator_text
    assert renew in coordinator_html and "<strong>31 August 2027</strong>" in coordinator_html
    chair_text, _ = _parsed(rows[s.chair.email.lower()])
    assert "The coordinator renews it" in chair_text and renew not in chair_text
    assert f"Read the agreement:\n{settings.SITE_URL}/p/{s.partnership.slug}/agreement/" in chair_text

    assert _expiry(s, ONE_MONTH_BEFORE - datetime.timedelta(days=1)) == 0
    assert _expiry(s, ONE_MONTH_BEFORE) == 2
    assert _expiry(s, ONE_MONTH_BEFORE) == 0
    assert _expiry(s, ENDS) == 0
    assert _expiry(s, ENDS + datetime.timedelta(days=1)) == 0  # expired: the dashboard says so
    assert "ends on 31 August 2027, in one month" in _expiry_rows()[-1].text
    with scopes_disabled():
        assert sorted(AgreementReminder.objects.values_list("kind", "day")) == sorted(
            [(K.EXPIRES_IN_3_MONTHS, THREE_MONTHS_BEFORE)] * 2 + [(K.EXPIRES_IN_1_MONTH, ONE_MONTH_BEFORE)] * 2
        )
        events = AuditEvent.objects.filter(action=AuditAction.AGREEMENT_EXPIRY_REMINDED)
        assert events.count() == 4 and {e.actor for e in events} == {None}


def test_a_run_missed_past_the_one_month_day_sends_only_the_one_month_warning(signing):
    s = signing
    assert _expiry(s, ONE_MONTH_BEFORE + datetime.timedelta(days=3)) == 2
    with scopes_disabled():
        assert set(AgreementReminder.objects.values_list("kind", flat=True)) == {K.EXPIRES_IN_1_MONTH}


def test_a_renewal_in_draft_is_mentioned_and_a_published_one_stops_the_warning(signing):
    s = signing
    with on_day(D(2027, 5, 1)), scope(partnership=s.partnership):
        renewal = agreement_renew(actor=s.coordinator, version=s.version)
    assert renewal.starts == D(2027, 9, 1)
    assert _expiry(s, THREE_MONTHS_BEFORE) == 2
    rows = _by_recipient(_expiry_rows())
    text, _ = _parsed(rows[s.coordinator.email.lower()])
    assert "Version 2, to follow it, is being drafted to start on 1 September 2027." in text
    draft = f"{settings.SITE_URL}/p/{s.partnership.slug}/agreement/versions/{renewal.pk}/"
    assert f"Carry on with version 2:\n{draft}" in text
    assert "is being drafted" in rows[s.chair.email.lower()].text
    with on_day(D(2027, 6, 1)), scope(partnership=s.partnership):
        agreement_publish(actor=s.coordinator, version=renewal)
    assert _expiry(s, ONE_MONTH_BEFORE) == 0
    assert len(_expiry_rows()) == 2


def test_a_published_version_that_leaves_a_gap_does_not_stop_the_warning(signing):
    s = signing
    with on_day(D(2027, 5, 1)), scope(partnership=s.partnership):
        renewal = agreement_renew(actor=s.coordinator, version=s.version)
        agreement_term_set(actor=s.coordinator, version=renewal, starts=D(2027, 10, 1), ends=D(2030, 8, 31))
        agreement_publish(actor=s.coordinator, version=renewal)
    assert _expiry(s, ONE_MONTH_BEFORE) == 2
    text, _ = _parsed(_by_recipient(_expiry_rows())[s.coordinator.email.lower()])
    assert "Version 2 has been published but starts on 1 October 2027, so there will be a gap" in text
    assert "Read the agreement:" in text  # not the renew page: version 1 has already been renewed


def test_an_agreement_with_no_end_gets_no_warning(signing):
    s = signing
    with scopes_disabled():
        AgreementVersion.objects.filter(pk=s.version.pk).update(ends=None)
    assert _expiry(s, ONE_MONTH_BEFORE) == 0


def test_the_beat_task_queues_both_runs_for_each_partnership_that_is_not_closed(signing):
    s = signing
    with on_day(ONE_MONTH_BEFORE):
        assert send_agreement_reminders_everywhere() >= 1
    with scopes_disabled():
        assert AgreementReminder.objects.filter(kind=K.EXPIRES_IN_1_MONTH).count() == 2
        assert AgreementReminder.objects.filter(kind=K.SIGN).count() == 5
    assert {r.recipient for r in _expiry_rows()} == {s.coordinator.email.lower(), s.chair.email.lower()}


def test_the_tasks_need_their_partnership():
    with pytest.raises(TypeError):
        remind_agreement_signatories()
    with pytest.raises(TypeError):
        remind_agreement_expiry()


# --- The dashboard and the version page ---------------------------------------------------------------


def _dashboard(s, client_for, user, on: datetime.date) -> str:
    with on_day(on):
        response = client_for(user).get(f"/p/{s.partnership.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_and_the_chair_are_warned_on_the_dashboard_within_a_month_of_the_end(signing, client_for):
    s = signing
    ten_days_before = ENDS - datetime.timedelta(days=10)
    renew = f"/p/{s.partnership.slug}/agreement/versions/{s.version.pk}/renew/"
    page = _dashboard(s, client_for, s.coordinator, ten_days_before)
    assert "The partnership agreement ends on 31 August 2027, in 10 days." in page
    assert f'href="{renew}"' in page and "Renew the agreement" in page
    chair = _dashboard(s, client_for, s.chair, ten_days_before)
    assert "The partnership agreement ends on 31 August 2027, in 10 days." in chair
    assert "The coordinator renews the agreement:" in chair and renew not in chair
    head = _dashboard(s, client_for, s.heads[s.schools[0].pk], ten_days_before)
    assert 'id="agreement-ending"' not in head
    # More than a month before the end: no warning.
    assert 'id="agreement-ending"' not in _dashboard(
        s, client_for, s.coordinator, ONE_MONTH_BEFORE - datetime.timedelta(days=1)
    )
    assert "ends on 31 August 2027, in 31 days" in _dashboard(s, client_for, s.coordinator, ONE_MONTH_BEFORE)


def test_an_expired_agreement_shows_on_the_dashboard_with_what_to_do(signing, client_for):
    s = signing
    after = ENDS + datetime.timedelta(days=5)
    page = _dashboard(s, client_for, s.coordinator, after)
    assert "The partnership agreement expired on 31 August 2027. It needs to be renewed." in page
    assert 'id="agreement-ending"' in page and "Renew the agreement" in page
    with on_day(after), scope(partnership=s.partnership):
        renewal = agreement_renew(actor=s.coordinator, version=s.version)
    page = _dashboard(s, client_for, s.coordinator, after)
    assert "Version 2, to follow it, is being drafted." in page
    assert f'href="/p/{s.partnership.slug}/agreement/versions/{renewal.pk}/"' in page
    chair = _dashboard(s, client_for, s.chair, after)
    assert "Once the coordinator publishes it, each school is asked to sign it." in chair
    # Everyone else sees that it expired (the dashboard's own warning), not the coordinator's panel.
    head = _dashboard(s, client_for, s.heads[s.schools[0].pk], after)
    assert "It needs to be renewed." in head and 'id="agreement-ending"' not in head


def test_a_published_renewal_that_follows_on_clears_the_warning(signing, client_for):
    s = signing
    with on_day(D(2027, 8, 1)), scope(partnership=s.partnership):
        agreement_publish(actor=s.coordinator, version=agreement_renew(actor=s.coordinator, version=s.version))
    assert 'id="agreement-ending"' not in _dashboard(s, client_for, s.coordinator, ENDS - datetime.timedelta(days=5))


def test_the_dashboard_lists_the_copies_for_you_to_sign(signing, client_for):
    s = signing
    first, second = s.schools
    head = _dashboard(s, client_for, s.heads[first.pk], day(1))
    assert "Agreements for you to sign" in head
    assert "Version 1 of the partnership agreement is waiting for your signature:" in head
    copy_link = f'href="/p/{s.partnership.slug}/agreement/copies/{s.copy(first).pk}/"'
    assert copy_link in head and f"{first.name}'s copy</a>, to sign as headteacher" in head
    assert second.name not in head.split('id="agreement-to-sign"')[1].split("</ul>")[0]
    chair = _dashboard(s, client_for, s.chair, day(1))
    assert "waiting for your signature on 2 schools' copies:" in chair
    assert f"{second.name}'s copy</a>, to sign as chair" in chair
    assert "Agreements for you to sign" not in _dashboard(s, client_for, s.coordinator, day(1))
    _sign(s, s.heads[first.pk], first, "headteacher", day(2))
    assert "Agreements for you to sign" not in _dashboard(s, client_for, s.heads[first.pk], day(2))


def test_the_dashboard_with_both_panels_runs_the_same_queries_for_fifty_schools(signing, client_for):
    s = signing
    with on_day(ENDS - datetime.timedelta(days=10)):
        client = client_for(s.chair)
        url = f"/p/{s.partnership.slug}/"
        page = client.get(url).content.decode()
        assert 'id="agreement-ending"' in page and 'id="agreement-to-sign"' in page
        # Twenty-one: fourteen without these panels (session, user, partnership and roles; the agreement in
        # force, the roles held, the members and their counts; the meetings' and finance's panels), then
        # the versions after the one in force (1, for the warning) and the copies to sign: blocks_to_sign
        # reads the chair's roles and the signing board's copies, blocks, signatures and signers (5). The
        # version being signed is the one in force, read already. One more: "Needs you now" counts the
        # copies still to be signed, for the chair, who sees every copy. Two more for the chair's own panels:
        # the year's attendance heat map (one), the chair's panel (the elections for terms to come and the
        # agenda items of the meetings they chair: two), less the constitution, now read once per request.
        assert_constant_queries(client, url, grow=lambda: _grow(s, 48), at_most=23)
        page = client.get(url).content.decode()
    assert "See all 50 copies on the signing board" in page


def test_the_version_page_links_to_its_signing_board(signing, client_for):
    s = signing
    client = client_for(s.heads[s.schools[0].pk])
    page = client.get(f"/p/{s.partnership.slug}/agreement/versions/{s.version.pk}/").content.decode()
    board = f"/p/{s.partnership.slug}/agreement/versions/{s.version.pk}/signing/"
    assert f'href="{board}"' in page and "See who has signed version 1" in page
    with scope(partnership=s.partnership):
        draft = agreement_renew(actor=s.coordinator, version=s.version)
    page = client_for(s.coordinator).get(f"/p/{s.partnership.slug}/agreement/versions/{draft.pk}/").content.decode()
    assert "/signing/" not in page


def test_the_signing_board_of_an_expired_version_says_so(signing, client_for):
    s = signing
    board = f"/p/{s.partnership.slug}/agreement/versions/{s.version.pk}/signing/"
    with on_day(ENDS):
        assert "Expired" not in client_for(s.chair).get(board).content.decode()
    with on_day(ENDS + datetime.timedelta(days=1)):
        page = client_for(s.chair).get(board).content.decode()
    assert "Version 1 ended on 31 August 2027: the partnership agreement needs to be renewed." in page
