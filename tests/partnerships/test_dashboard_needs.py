"""The dashboard's "Needs you now": each role sees what waits on them, counted from the records, with a
link to where the work is done, and nothing that is someone else's."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from meetings.models import ActionPoint, Invitee
from partnerships.calendar import academic_year_of
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.meetings import InviteeFactory, MeetingFactory
from tests.factories.partnerships import give_role
from tests.factories.subscriptions import subscribed
from tests.factories.visits import adviser_for, review_in

pytestmark = pytest.mark.django_db


def _needs(user, tenant) -> str:
    client = Client()
    client.force_login(user)
    body = client.get(f"/p/{tenant.slug}/").content.decode()
    if 'id="needs-you-now"' not in body:
        return ""
    return body.split('id="needs-you-now"')[1].split("</ul>")[0]


def test_the_coordinator_is_told_of_answers_missing_and_actions_overdue(tenant_a):
    with scopes_disabled():
        meeting = MeetingFactory(partnership=tenant_a.partnership, organiser=tenant_a.coordinator, title="Spring")
        InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
        InviteeFactory(meeting=meeting, user=tenant_a.coordinator, answer=Invitee.Answer.ATTENDING)
        ActionPoint.objects.create(
            meeting=meeting,
            description="Send the budget",
            owner=tenant_a.headteacher,
            due=timezone.localdate() - datetime.timedelta(days=3),
            created_by=tenant_a.coordinator,
        )
    needs = _needs(tenant_a.coordinator, tenant_a)
    assert "1 of 2 invited have not answered for Spring" in needs
    assert "1 action point overdue across the partnership" in needs
    assert f"/p/{tenant_a.slug}/meetings/{meeting.pk}/" in needs
    # The headteacher runs no meetings: the partnership's chasing is not theirs.
    assert "invited have not answered" not in _needs(tenant_a.headteacher, tenant_a)


def test_a_headteacher_sees_what_their_school_owes_and_its_credits(tenant_a):
    _, requests = funded_year(tenant_a)
    subscription = subscribed(tenant_a, year=academic_year_of(timezone.localdate()), credits="60")
    owed = next(r for r in requests if r.school_id == tenant_a.schools[0].pk).amount
    needs = _needs(tenant_a.headteacher, tenant_a)
    assert f"{tenant_a.schools[0].name} owes £{owed:,.2f} in contributions" in needs
    assert f"{tenant_a.schools[0].name} has 60 credits left this year" in needs
    assert f"/subscriptions/{subscription.pk}/" in needs
    assert tenant_a.schools[1].name not in needs  # another school's money is not theirs
    # The coordinator acts for no school: no school's balance is "theirs".
    assert "owes" not in _needs(tenant_a.coordinator, tenant_a)


def test_reviews_wait_on_the_head_to_confirm_and_on_the_adviser_to_revise(tenant_a):
    adviser = adviser_for(tenant_a, name="Ada Adviser")
    review_in(tenant_a, "sent", adviser=adviser)
    assert "Confirm or return the autumn" in _needs(tenant_a.headteacher, tenant_a)
    assert "Confirm or return" not in _needs(adviser, tenant_a)

    other = adviser_for(tenant_a, name="Ben Adviser")
    review_in(tenant_a, "returned", adviser=other, term="spring")
    needs = _needs(other, tenant_a)
    assert "Revise the spring" in needs and tenant_a.schools[0].name in needs
    assert "Revise" not in _needs(adviser, tenant_a)  # only the adviser who drafted it revises it


def test_nothing_to_do_shows_no_list(tenant_a):
    governor = UserFactory()
    give_role(governor, tenant_a.partnership, Role.GOVERNOR, tenant_a.schools[0])
    assert _needs(governor, tenant_a) == ""


def test_money_in_the_list_is_exact(tenant_a):
    _, requests = funded_year(tenant_a, fte=("100.5", "100.0"), rate="2.10")
    needs = _needs(tenant_a.headteacher, tenant_a)
    assert "owes £211.05 in contributions" in needs  # 100.5 FTE at £2.10, to the penny
    assert requests[0].amount == Decimal("211.05")


def test_the_coordinator_is_told_of_reports_not_generated_until_they_are(tenant_a):
    from reports.selectors.annual import last_complete_year
    from reports.selectors.governors import last_ended_term
    from reports.services.annual import annual_report_generate
    from reports.services.governors import report_run_start

    today = timezone.localdate()
    with scopes_disabled():
        term = last_ended_term(tenant_a.partnership, today)
    needs = _needs(tenant_a.coordinator, tenant_a)
    assert "The governors' reports for the" in needs and "have not been generated" in needs
    assert f"/reports/terms/{term.academic_year}/{term.name}/" in needs
    year = last_complete_year(today)
    assert f"/reports/annual/{year}/" in needs
    # Generated: nothing left to do, and a headteacher never saw it (they generate nothing).
    assert "have not been generated" not in _needs(tenant_a.headteacher, tenant_a)
    with scopes_disabled():
        report_run_start(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            academic_year=term.academic_year,
            term=term.name,
        )
        annual_report_generate(
            actor=tenant_a.coordinator, partnership=tenant_a.partnership, academic_year=year, progress=""
        )
    assert "have not been generated" not in _needs(tenant_a.coordinator, tenant_a)
