"""Reminders of overdue contributions, found by the daily sweep: the first a fortnight after the due date,
then every four weeks, three at most, none once paid; one outbox row per reminder and recipient, so a
sweep that runs again sends nothing twice. One test sends through a real SMTP server."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope, scopes_disabled

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from core.models import OutboxMessage
from finance.models import ContributionReminder, FinancialYear
from finance.selectors import FIRST_REMINDER_AFTER_DAYS, MAX_REMINDERS, REMINDER_INTERVAL_DAYS
from finance.services.contributions import payment_record
from finance.services.reminders import REMINDER_KIND, contribution_reminders_send
from finance.tasks import send_contribution_reminders
from partnerships.roles import Role
from tests.clock import on_day, roles_held_since
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db

D = datetime.date
DUE = D(2026, 4, 1)
FIRST = DUE + datetime.timedelta(days=FIRST_REMINDER_AFTER_DAYS)


def _after(days: int) -> datetime.date:
    return FIRST + datetime.timedelta(days=days)


def _sweep(tenant, today: datetime.date) -> int:
    with scope(partnership=tenant.partnership):
        return contribution_reminders_send(actor=None, partnership=tenant.partnership, today=today)


def _rows() -> list[OutboxMessage]:
    with scopes_disabled():
        return list(OutboxMessage.objects.filter(kind=REMINDER_KIND).order_by("pk"))


@pytest.fixture
def requests(tenant_a):
    """2026-27's requests, due on 1 April 2026: the first school's (£409.00) is addressed to its head,
    the second school's (£200.00) to nobody, its head having left."""
    _, made = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))
    assert [r.due for r in made] == [DUE, DUE]
    return sorted(made, key=lambda r: tenant_a.schools.index(r.school))


def test_the_sweep_queues_one_email_per_due_reminder_and_none_on_a_second_sweep(tenant_a, tenant_b, requests):
    funded_year(tenant_b, start_year=2026, dated=D(2026, 3, 20))
    assert _sweep(tenant_a, FIRST) == 1
    assert _sweep(tenant_a, FIRST) == 0
    rows = _rows()
    assert [(r.recipient, r.version, r.about) for r in rows] == [
        (tenant_a.headteacher.email.lower(), 1, f"contribution-request:{requests[0].pk}")
    ]
    assert rows[0].subject == (
        f"Reminder: {tenant_a.schools[0].name}'s contribution to Alpha Partnership is overdue (request "
        f"{requests[0].reference})"
    )
    with scopes_disabled():
        reminder = ContributionReminder.objects.get()
        assert (reminder.request, reminder.sequence, reminder.sent_on, reminder.outstanding) == (
            requests[0],
            1,
            FIRST,
            Decimal("409.00"),
        )
        event = AuditEvent.objects.get(action=AuditAction.CONTRIBUTION_REMINDED)
        assert (event.actor, event.partnership, event.data["sequence"]) == (None, tenant_a.partnership, 1)


def test_no_reminder_before_a_fortnight_overdue(tenant_a, requests):
    for day in (DUE - datetime.timedelta(days=1), DUE, FIRST - datetime.timedelta(days=1)):
        assert _sweep(tenant_a, day) == 0
    assert _rows() == []
    with scopes_disabled():
        assert not ContributionReminder.objects.exists()
        assert not AuditEvent.objects.filter(action=AuditAction.CONTRIBUTION_REMINDED).exists()


def test_reminders_come_every_four_weeks_and_stop_after_three(tenant_a, requests):
    interval = REMINDER_INTERVAL_DAYS
    assert _sweep(tenant_a, FIRST) == 1
    assert _sweep(tenant_a, _after(interval - 1)) == 0
    assert _sweep(tenant_a, _after(interval)) == 1
    # A sweep missed for a week: the next reminder counts from the last one sent, not from the due date.
    assert _sweep(tenant_a, _after(2 * interval + 7)) == 1
    assert _sweep(tenant_a, _after(3 * interval + 7)) == 0
    assert _sweep(tenant_a, _after(400)) == 0
    assert [r.version for r in _rows()] == list(range(1, MAX_REMINDERS + 1)) == [1, 2, 3]
    with scopes_disabled():
        assert list(ContributionReminder.objects.values_list("sent_on", flat=True)) == [
            FIRST,
            _after(interval),
            _after(2 * interval + 7),
        ]


def test_reminders_stop_when_the_request_is_paid_and_say_what_is_still_owed(tenant_a, requests):
    assert _sweep(tenant_a, FIRST) == 1
    with scope(partnership=tenant_a.partnership):
        payment_record(
            actor=tenant_a.coordinator,
            request=requests[0],
            amount=Decimal("400.00"),
            received_on=FIRST,
            method="bank_transfer",
        )
    assert _sweep(tenant_a, _after(REMINDER_INTERVAL_DAYS)) == 1
    second = _rows()[-1]
    assert "£9.00 of it has not been received" in second.text and "second reminder" in second.text
    assert "Paid so far: £400.00" in second.text and "Outstanding: £9.00" in second.text
    with scope(partnership=tenant_a.partnership):
        payment_record(
            actor=tenant_a.coordinator,
            request=requests[0],
            amount=Decimal("9.00"),
            received_on=_after(REMINDER_INTERVAL_DAYS),
            method="cheque",
        )
    assert _sweep(tenant_a, _after(2 * REMINDER_INTERVAL_DAYS)) == 0
    assert len(_rows()) == 2


def test_no_reminder_for_a_closed_year_which_takes_no_more_payments(tenant_a, requests):
    with scopes_disabled():
        FinancialYear.objects.filter(pk=requests[0].year_id).update(status=FinancialYear.Status.CLOSED)
    assert _sweep(tenant_a, FIRST) == 0
    assert _rows() == []


def test_a_request_addressed_to_nobody_goes_to_the_schools_current_headteachers(tenant_a, requests):
    assert _sweep(tenant_a, FIRST) == 1  # the second school has nobody to write to: nothing recorded for it
    with scopes_disabled():
        assert not ContributionReminder.objects.filter(request=requests[1]).exists()
    heads = [UserFactory(full_name="New Head"), UserFactory(full_name="Co-head")]
    for head in heads:
        give_role(head, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1], start=DUE)
    assert _sweep(tenant_a, FIRST + datetime.timedelta(days=1)) == 1
    rows = [r for r in _rows() if r.about == f"contribution-request:{requests[1].pk}"]
    assert sorted(r.recipient for r in rows) == sorted(h.email.lower() for h in heads)
    assert all(r.text.startswith("Dear Headteacher,") for r in rows)
    with scopes_disabled():
        assert ContributionReminder.objects.filter(request=requests[1]).count() == 1


def test_the_reminder_is_delivered_over_smtp_with_text_and_html_parts(
    tenant_a, requests, smtp_server, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        roles_held_since(tenant_a.partnership, DUE)
    with on_day(FIRST), django_capture_on_commit_callbacks(execute=True):
        assert send_contribution_reminders(partnership_id=tenant_a.partnership.pk) == 1
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == tenant_a.headteacher.email.lower()
    assert message["From"].startswith("Commonroom <")
    assert message["Subject"] == _rows()[0].subject
    assert message["Subject"].startswith(f"Reminder: {tenant_a.schools[0].name}'s contribution to Alpha")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    statement = f"/p/{tenant_a.slug}/finance/statements/{tenant_a.schools[0].pk}/"
    for part in (text, html):
        assert "Alpha Partnership" in part and requests[0].reference in part
        assert "£409.00" in part and "£0.00" in part and "1 April 2026" in part
        assert tenant_a.schools[0].name in part  # the banker school, whom to pay
        assert tenant_a.coordinator.email in part and statement in part
    assert "Amount asked for: £409.00" in text and "Outstanding: £409.00" in text
    assert html.startswith("<!DOCTYPE html>") and "<strong>£409.00</strong>" in html


def test_the_task_needs_its_partnership():
    with pytest.raises(TypeError):
        send_contribution_reminders()
