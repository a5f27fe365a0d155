"""A real Celery worker consuming from the real Redis broker (CI always sets REDIS_URL)."""

import os
import time
import uuid

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import Invitation
from config.celery import app
from partnerships.roles import Role
from partnerships.services.invitations import invitation_create

REDIS_URL = os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the real-worker test needs Redis (CI sets it)"),
]


@pytest.fixture
def worker(settings):
    """An embedded worker thread on a private queue of the real broker; tasks are no longer eager."""
    from celery.contrib.testing.worker import start_worker

    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)


def _wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_emailed_by_the_worker_after_commit(tenant_a, worker):
    mail.outbox.clear()  # the fixtures' own invitations were sent eagerly before the worker started
    with scopes_disabled():
        invitation = invitation_create(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            email="worker@example.org",
            full_name="Wendy Worker",
            role=Role.LA_OBSERVER,
        )

    def sent():
        with scopes_disabled():
            return Invitation.objects.get(pk=invitation.pk).sent_at is not None

    assert _wait_for(sent), "the worker did not queue the invitation"
    assert _wait_for(lambda: len(mail.outbox) >= 1), "the worker did not send the outbox message"
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    # Idempotent: sending again through the broker changes nothing.
    from partnerships.tasks.invitations import send_invitation

    send_invitation.delay(invitation.pk, partnership_id=tenant_a.partnership.pk)
    marker = _fresh_invitation(tenant_a, "marker@example.org")
    send_invitation.delay(marker.pk, partnership_id=tenant_a.partnership.pk)  # queued after the repeat
    assert _wait_for(lambda: len(mail.outbox) >= 2)
    assert [m.to for m in mail.outbox] == [["worker@example.org"], ["marker@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_a_tenant_task_runs_inside_its_partnerships_scope_on_the_worker(tenant_a, tenant_b, worker):
    from partnerships.tasks.invitations import send_invitation

    mail.outbox.clear()
    in_b = _fresh_invitation(tenant_b, "b-only@example.org")
    in_a = _fresh_invitation(tenant_a, "a-only@example.org")
    # B's invitation asked for under A's scope: the worker cannot see it, so nothing is sent.
    send_invitation.delay(in_b.pk, partnership_id=tenant_a.partnership.pk)
    send_invitation.delay(in_a.pk, partnership_id=tenant_a.partnership.pk)

    def a_sent():
        with scopes_disabled():
            return Invitation.objects.get(pk=in_a.pk).sent_at is not None

    assert _wait_for(a_sent)
    assert _wait_for(lambda: len(mail.outbox) >= 1), "the worker did not send the outbox message"
    with scopes_disabled():
        assert Invitation.objects.get(pk=in_b.pk).sent_at is None
    assert [m.to for m in mail.outbox] == [["a-only@example.org"]]


def _fresh_invitation(tenant, email):
    """An invitation row written directly, so that no task is queued for it."""
    import datetime

    from django.utils import timezone

    with scopes_disabled():
        return Invitation.objects.create(
            partnership=tenant.partnership,
            email=email,
            full_name="Fresh",
            role=Role.LA_OBSERVER,
            invited_by=tenant.coordinator,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
