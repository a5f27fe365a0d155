"""The agreement's daily beat task through a real worker on the real Redis broker (CI sets REDIS_URL): it
queues a run per partnership, each runs inside its partnership's scope, and the warnings reach the
outbox and are sent; a second run the same day sends nothing again."""

import datetime
import os

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from partnerships.models import AgreementReminder, AgreementVersion
from partnerships.roles import Role
from tests.celery_worker.test_worker import _fresh_invitation, _wait_for, worker  # noqa: F401  # the worker fixture
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: the real-worker test needs Redis"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_the_daily_beat_task_warns_of_the_agreements_end_through_the_worker(tenant_a, tenant_b, worker):  # noqa: F811  # worker last: it starts after the fixtures
    from partnerships.tasks.agreements import send_agreement_reminders_everywhere

    chair = UserFactory(full_name="Alpha Chair")
    give_role(chair, tenant_a.partnership, Role.CHAIR)
    with scopes_disabled():
        version = AgreementVersion.objects.create(
            partnership=tenant_a.partnership,
            number=1,
            starts=datetime.date(2024, 9, 1),
            ends=timezone.localdate() + datetime.timedelta(days=20),  # within a month of its end
            status=AgreementVersion.Status.PUBLISHED,
        )
    mail.outbox.clear()
    send_agreement_reminders_everywhere.delay()

    def warned():
        with scopes_disabled():
            return AgreementReminder.objects.filter(version=version).count() == 2

    assert _wait_for(warned), "the worker did not warn the coordinator and the chair"
    assert _wait_for(lambda: len(mail.outbox) >= 2), "the worker did not send the warnings"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([tenant_a.coordinator.email.lower(), chair.email.lower()])
    assert all(m.subject.startswith("The Alpha Partnership agreement ends on") for m in mail.outbox)
    # Tenant B has no agreement: nothing for its coordinator. A second run the same day sends nothing: an
    # invitation queued after it is the next (and last) message the worker sends.
    from partnerships.tasks.agreements import remind_agreement_expiry
    from partnerships.tasks.invitations import send_invitation

    remind_agreement_expiry.delay(partnership_id=tenant_a.partnership.pk)
    marker = _fresh_invitation(tenant_a, "marker@example.org")
    send_invitation.delay(marker.pk, partnership_id=tenant_a.partnership.pk)
    assert _wait_for(lambda: len(mail.outbox) >= 3)
    assert [m.to for m in mail.outbox[2:]] == [["marker@example.org"]]
    with scopes_disabled():
        assert AgreementReminder.objects.count() == 2
