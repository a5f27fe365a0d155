"""The meeting notices reach every invitee exactly once when the broker, the SMTP server or the worker
fails, with the real processes: a `celery worker` and a `celery beat` started as production starts them
(`-A config`; beat with only the outbox sweep), on PostgreSQL (the test database), a private Redis
and an SMTP server on loopback that the test can make refuse, hold or disappear. Each test schedules
a meeting for 100 people through `meeting_schedule` and reads every message the server accepted back
with Python's email parser.

The outbox's pauses are shortened through the environment, as an installation could: the sweep runs
every second (OUTBOX_SWEEP_SECONDS, so a queued row waits one second for its task and a refused one
1, 2, 4 ... seconds), and the SMTP timeout (EMAIL_TIMEOUT), twenty of which make a send "stuck", is a
few seconds.

The one case these tests cannot make exactly once is the server accepting a message and the worker
dying before it records that: the resend then carries the same Message-ID (core/outbox.py).
"""

import datetime
import os
import signal
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

import core.outbox
from config.celery import app
from core.models import OutboxMessage
from meetings.models import Meeting
from meetings.services.scheduling import INVITATION, meeting_schedule
from partnerships.models import Membership, RoleAssignment
from partnerships.roles import Role
from schools.models import School
from tests.celery_worker.processes import REPO_ROOT, CeleryProcess, RedisServer, database_url, wait_for
from tests.smtp import SmtpServer, free_port

REDIS_URL = os.environ.get("REDIS_URL")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
INVITEES = 100
SWEEP_SECONDS = 1

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not REDIS_URL, reason="REDIS_URL is not set: the outbox resilience tests need Redis (CI sets it)"
    ),
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="DATABASE_URL is not PostgreSQL: the worker and beat processes must share the test database",
    ),
    pytest.mark.django_db(transaction=True),
]


def _use_broker(url: str) -> None:
    """Point this process's Celery app at `url`, dropping connections pooled for the previous broker."""
    from kombu import pools

    app.conf.broker_url = url
    pools.reset()  # kombu keeps its pools by connection: a closed one would be handed out again
    app._pool = None
    app.amqp._producer_pool = None


class Stack:
    """The private Redis, the SMTP server, and the worker and beat processes of one test."""

    def __init__(self, folder, email_timeout: int):
        self.folder = folder
        self.smtp = SmtpServer()
        self.smtp.start()
        self.redis = RedisServer(free_port(), folder)
        self.redis.start()
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": self.redis.url,
            # Not a test run: tasks go through the broker, as in production.
            "COMMONROOM_TESTING": "false",
            "DEBUG": "false",
            "SECRET_KEY": "outbox-resilience-tests-only",
            "STATIC_MANIFEST": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": str(email_timeout),
            "OUTBOX_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.workers: list[CeleryProcess] = []
        self.beat = CeleryProcess(
            "beat",
            ["-A", "tests.celery_worker.sweep_only", "beat", "--loglevel=INFO"]
            + ["--schedule", str(folder / "beat-schedule"), "--max-interval", str(SWEEP_SECONDS)],
            self.env,
            folder,
        )
        self.start_worker()
        self.beat.wait_until_logged("beat: Starting")

    def start_worker(self) -> CeleryProcess:
        """A worker in one process (the solo pool), so the process that is sending is the one killed."""
        number = len(self.workers) + 1
        worker = CeleryProcess(
            f"worker-{number}",
            ["-A", "config", "worker", "--pool=solo", "--loglevel=INFO", "--hostname", f"resilience{number}@%h"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            self.env,
            self.folder,
        )
        self.workers.append(worker)
        worker.wait_until_logged(" ready.")
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log()[-4000:]}" for p in [*self.workers, self.beat])

    def stop(self) -> None:
        for process in [*self.workers, self.beat]:
            process.stop()
        self.smtp.stop()
        self.redis.stop()


@pytest.fixture
def outbox_stack(tmp_path, monkeypatch):
    """Start the stack (`outbox_stack(email_timeout=...)`); this process publishes to its Redis, not eagerly."""
    stacks: list[Stack] = []
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    monkeypatch.setattr(core.outbox, "_broker_down_until", 0.0)

    def start(*, email_timeout: int = 10) -> Stack:
        folder = tmp_path / "processes"
        folder.mkdir()
        stack = Stack(folder, email_timeout)
        stacks.append(stack)
        app.conf.task_always_eager = False
        _use_broker(stack.redis.url)
        return stack

    yield start
    for stack in stacks:
        stack.stop()
    app.conf.task_always_eager = saved["task_always_eager"]
    _use_broker(saved["broker_url"])


@pytest.fixture
def hundred_invited(tenant_a):
    """Tenant A with 98 more member schools, each with a headteacher: a partnership meeting then invites
    the coordinator and 99 headteachers, 100 people."""
    from accounts.models import User

    partnership = tenant_a.partnership
    start = timezone.localdate() - datetime.timedelta(days=30)
    schools = School.objects.bulk_create(
        School(urn=880000 + n, name=f"Resilience School {n:03d}", phase=School.Phase.PRIMARY, type="Academy")
        for n in range(INVITEES - 2)
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, school=school, joined=datetime.date(2020, 9, 1)) for school in schools
    )
    heads = User.objects.bulk_create(
        User(email=f"head{n:03d}@resilience.example", full_name=f"Head {n:03d}", password="!")
        for n in range(INVITEES - 2)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=head, partnership=partnership, role=Role.HEADTEACHER, school=school, start=start)
        for head, school in zip(heads, schools, strict=True)
    )
    return tenant_a


def _schedule(tenant) -> Meeting:
    day = timezone.localdate() + datetime.timedelta(days=30)
    starts = datetime.datetime(day.year, day.month, day.day, 16, tzinfo=timezone.get_current_timezone())
    with scope(partnership=tenant.partnership):
        return meeting_schedule(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            kind=Meeting.Kind.PARTNERSHIP,
            title="Partnership meeting",
            starts=starts,
            ends=starts + datetime.timedelta(minutes=90),
            venue_address="The Hall, 1 School Lane",
        )


def _notices(meeting) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(about=f"meeting:{meeting.pk}", kind=INVITATION).order_by("pk"))


def _received(smtp) -> Counter:
    """(recipient, Message-ID) of every message the server accepted, as its email parser reads them."""
    return Counter(
        (address.addr_spec.lower(), message["Message-ID"])
        for message in smtp.messages
        for address in message["To"].addresses
    )


def _wait_until_all_sent(stack: Stack, meeting, seconds: float) -> None:
    def all_sent() -> bool:
        notices = _notices(meeting)
        return len(notices) == INVITEES and all(n.state == OutboxMessage.State.SENT for n in notices)

    wait_for(all_sent, seconds, "every notice sent", stack.logs)


def _assert_each_invitee_received_exactly_one(stack: Stack, meeting) -> list[OutboxMessage]:
    notices = _notices(meeting)
    assert len(notices) == INVITEES
    expected = Counter((n.recipient, n.message_id) for n in notices)
    assert len({recipient for recipient, _ in expected}) == INVITEES
    invitees = {recipient for recipient, _ in expected}
    received = Counter({key: count for key, count in _received(stack.smtp).items() if key[0] in invitees})
    duplicates = {key: count for key, count in received.items() if count > 1}
    assert not duplicates, f"received more than once: {duplicates}"
    assert received == expected
    for message in stack.smtp.messages:
        if message["Message-ID"] in {n.message_id for n in notices}:
            assert message["Subject"].startswith("Invitation: Partnership meeting")
    return notices


def test_with_redis_down_scheduling_succeeds_and_the_sweep_sends_every_notice_once_redis_is_back(
    hundred_invited, outbox_stack, client_for
):
    stack = outbox_stack()
    stack.redis.stop()
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(hundred_invited.coordinator).post(
        reverse("meetings:schedule", kwargs={"partnership_slug": hundred_invited.slug}),
        {
            "kind": "partnership",
            "title": "Partnership meeting",
            "day_day": str(day.day),
            "day_month": str(day.month),
            "day_year": str(day.year),
            "start_time": "16:00",
            "end_time": "17:30",
            "venue_address": "The Hall\n1 School Lane",
        },
    )
    with scopes_disabled():
        meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/meetings/{meeting.pk}/")
    notices = _notices(meeting)
    assert len(notices) == INVITEES
    assert {n.state for n in notices} == {OutboxMessage.State.QUEUED}, "the rows wait for the broker"
    assert stack.smtp.messages == []

    stack.redis.start()
    _wait_until_all_sent(stack, meeting, seconds=90)
    notices = _assert_each_invitee_received_exactly_one(stack, meeting)
    assert {n.attempts for n in notices} == {1}


def test_while_smtp_refuses_for_a_while_every_notice_is_tried_again_and_sent_once(hundred_invited, outbox_stack):
    stack = outbox_stack()
    refusals = 40
    stack.smtp.refuse("421 4.3.2 Service busy, try again later", times=refusals)
    meeting = _schedule(hundred_invited)

    _wait_until_all_sent(stack, meeting, seconds=90)
    notices = _assert_each_invitee_received_exactly_one(stack, meeting)
    # Each refusal cost its row one try, and each row then went through "retry" to "sent".
    assert sum(n.attempts for n in notices) == INVITEES + refusals
    assert sum(n.attempts > 1 for n in notices) >= 1
    assert {n.last_error for n in notices} == {""}


def test_a_worker_killed_mid_send_is_replaced_and_the_sweep_sends_its_notice_once(hundred_invited, outbox_stack):
    stack = outbox_stack(email_timeout=2)
    stack.smtp.hold(1)  # the first message is left unanswered: the worker is sending it
    meeting = _schedule(hundred_invited)
    assert stack.smtp.inbox.holding.wait(60), f"no message reached the server\n{stack.logs()}"
    [worker] = stack.workers
    worker.kill()
    assert worker.process.returncode == -signal.SIGKILL
    [held] = stack.smtp.inbox.held
    cut_off = OutboxMessage.objects.get(message_id=held["Message-ID"])
    assert cut_off.state == OutboxMessage.State.IN_FLIGHT, "the worker died mid-send"
    stack.smtp.release()  # the server never accepts the held message: its client is gone

    stack.start_worker()
    # The worker's sweep takes the row back once it has been in flight for twenty SMTP timeouts (40s).
    _wait_until_all_sent(stack, meeting, seconds=120)
    _assert_each_invitee_received_exactly_one(stack, meeting)
    cut_off.refresh_from_db()
    assert cut_off.state == OutboxMessage.State.SENT
    [resent] = [m for m in stack.smtp.messages if m["Message-ID"] == held["Message-ID"]]
    assert resent["To"] == held["To"], "the resend is the same message, with the same Message-ID"
