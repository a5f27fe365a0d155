"""Benchmark a meeting's notices: 500 invitations through the outbox, against bare smtplib.

Run from the repository root:

    .venv/bin/python benchmarks/notices.py [--invitees 500 --repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/notices.py

It builds a throwaway database (as benchmarks/dashboard_people.py does) with one partnership whose
partnership meeting invites --invitees people (the coordinator and a headteacher of each member
school), starts an SMTP server on loopback (aiosmtpd, keeping each message's bytes), and times, each
round:

    floor     a bare smtplib loop: one connection per message, as Django's SMTP backend opens, sending
              the bytes of the previous round's notices, so the same number, sizes and recipients
    schedule  meeting_schedule: the meeting, its invitees, and each notice rendered (text, HTML and
              calendar) into an outbox row, in one transaction
    deliver   outbox_deliver for each row, as the worker's task calls it: claim the row (in flight),
              build the MIME message, speak SMTP, record it sent

and prints the medians and their ratios to the floor. Each outbox round must deliver every notice
exactly once (checked with Python's email parser, after the clock stops), or the script exits 1.
It asserts nothing about time.
"""

import argparse
import email
import email.policy
import platform
import smtplib
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.dashboard_people import configure_django, create_database, destroy_database  # noqa: E402

PHASES = ("floor", "schedule", "deliver")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitees", type=int, default=500, help="people invited to the meeting (default 500)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    args = parser.parse_args(argv)
    if args.invitees < 2 or args.repeat < 1:
        parser.error("--invitees must be at least 2 and --repeat at least 1")
    return args


class _Keep:
    """aiosmtpd handler: accept every message and keep its bytes (parsed only after the clock stops)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[list[str], bytes]]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


def start_smtp():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = _Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler, port


def build_partnership(invitees: int):
    """A partnership with invitees - 1 member schools, each with a headteacher, and a coordinator."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from accounts.models import User
    from partnerships.models import Membership, RoleAssignment
    from partnerships.roles import Role
    from partnerships.services import role_start
    from partnerships.services.partnerships import partnership_create
    from schools.models import School

    start = timezone.localdate() - datetime.timedelta(days=30)
    with scopes_disabled():
        partnership = partnership_create(actor=None, name="Benchmark Learning Partnership", slug="benchmark")
        schools = School.objects.bulk_create(
            School(urn=700000 + n, name=f"Benchmark School {n:04d}", phase=School.Phase.PRIMARY, type="Academy")
            for n in range(invitees - 1)
        )
        Membership.objects.bulk_create(
            Membership(partnership=partnership, school=s, joined=datetime.date(2020, 9, 1)) for s in schools
        )
        password = make_password("benchmark-password-1")
        heads = User.objects.bulk_create(
            User(email=f"head{n:04d}@schools.example.org", full_name=f"Head Teacher {n:04d}", password=password)
            for n in range(invitees - 1)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=h, partnership=partnership, role=Role.HEADTEACHER, school=s, start=start)
            for h, s in zip(heads, schools, strict=True)
        )
        coordinator = User.objects.create_user(
            "coordinator@benchmark.example.org", "benchmark-password-1", full_name="Casey Coordinator"
        )
        role_start(actor=None, user=coordinator, partnership=partnership, role=Role.COORDINATOR, start=start)
    return partnership, coordinator


def schedule(partnership, coordinator, number: int):
    """Schedule meeting `number` (a new one each round); returns it and the ids of its outbox rows."""
    import datetime

    from django.utils import timezone
    from django_scopes import scope

    import core.outbox
    from meetings.models import Meeting
    from meetings.services.scheduling import meeting_schedule

    day = timezone.localdate() + datetime.timedelta(days=30 + number)
    starts = datetime.datetime(day.year, day.month, day.day, 16, tzinfo=timezone.get_current_timezone())
    queued: list[int] = []
    send_after_commit = core.outbox._enqueue_send
    core.outbox._enqueue_send = queued.append  # the rows are delivered in their own, timed, phase
    try:
        with scope(partnership=partnership):
            meeting = meeting_schedule(
                actor=coordinator,
                partnership=partnership,
                kind=Meeting.Kind.PARTNERSHIP,
                title=f"Partnership meeting {number}",
                starts=starts,
                ends=starts + datetime.timedelta(minutes=90),
                venue_address="The Hall, 1 School Lane",
            )
    finally:
        core.outbox._enqueue_send = send_after_commit
    return meeting, queued


def deliver(ids: list[int]) -> int:
    from core.outbox import outbox_deliver

    return sum(outbox_deliver(pk) for pk in ids)


def send_bare(messages: list[tuple[list[str], bytes]], port: int) -> None:
    """The floor: the same bytes over SMTP with nothing but smtplib, one connection a message."""
    from django.conf import settings

    sender = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
    for recipients, content in messages:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as connection:
            connection.sendmail(sender, recipients, content)


def check_round(meeting, received: list[tuple[list[str], bytes]]) -> list[str]:
    """Every notice of `meeting` arrived exactly once, with its row's Message-ID, and nothing else did."""
    from core.models import OutboxMessage

    rows = OutboxMessage.objects.filter(about=f"meeting:{meeting.pk}")
    expected = Counter((r.recipient, r.message_id) for r in rows if r.state == OutboxMessage.State.SENT)
    got = Counter()
    for recipients, content in received:
        message = email.message_from_bytes(content, policy=email.policy.default)
        for recipient in recipients:
            got[(recipient.lower(), message["Message-ID"])] += 1
    problems = []
    if rows.exclude(state=OutboxMessage.State.SENT).exists():
        problems.append(f"meeting {meeting.pk}: some notices were not sent")
    if got != expected:
        problems.append(f"meeting {meeting.pk}: {sum(got.values())} received, {sum(expected.values())} sent")
    return problems


def main(argv=None) -> int:
    import os

    started = time.perf_counter()
    args = parse_args(argv)
    controller, inbox, port = start_smtp()
    os.environ.update(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
        }
    )
    tmpdir = configure_django()
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    old_name = None
    problems: list[str] = []
    timings: dict[str, list[float]] = {phase: [] for phase in PHASES}
    try:
        import django
        from django.db import connection

        begin = time.perf_counter()
        old_name = create_database(tmpdir)
        migrated = time.perf_counter() - begin
        begin = time.perf_counter()
        partnership, coordinator = build_partnership(args.invitees)
        built = time.perf_counter() - begin
        # A warm-up round, untimed: templates compiled, connections open, and the floor's messages.
        meeting, ids = schedule(partnership, coordinator, 0)
        deliver(ids)
        previous = inbox.take()
        problems += check_round(meeting, previous)
        for number in range(1, args.repeat + 1):
            begin = time.perf_counter()
            send_bare(previous, port)
            timings["floor"].append(time.perf_counter() - begin)
            floor_received = inbox.take()
            if len(floor_received) != len(previous):
                problems.append(f"floor round {number}: {len(floor_received)} of {len(previous)} received")

            begin = time.perf_counter()
            meeting, ids = schedule(partnership, coordinator, number)
            timings["schedule"].append(time.perf_counter() - begin)
            begin = time.perf_counter()
            sent = deliver(ids)
            timings["deliver"].append(time.perf_counter() - begin)
            previous = inbox.take()
            problems += check_round(meeting, previous)
            if sent != args.invitees:
                problems.append(f"round {number}: {sent} notices sent of {args.invitees}")

        floor = statistics.median(timings["floor"])
        schedule_s, deliver_s = statistics.median(timings["schedule"]), statistics.median(timings["deliver"])
        total = [s + d for s, d in zip(timings["schedule"], timings["deliver"], strict=True)]
        print(
            f"\nDjango {django.get_version()}, Python {platform.python_version()}, "
            f"database {connection.vendor}, SMTP server aiosmtpd on 127.0.0.1:{port}"
        )
        print(f"Database created in {migrated:.1f} s, the partnership built in {built:.1f} s")
        print(f"{args.invitees} notices to one meeting's invitees, median of {args.repeat} rounds after a warm-up:\n")
        print(f"{'phase':<34} {'seconds':>8} {'ms each':>8} {'x floor':>8}")
        rows = [
            ("floor: bare smtplib loop", floor),
            ("schedule: render and queue", schedule_s),
            ("deliver: outbox_deliver each row", deliver_s),
            ("outbox total (schedule + deliver)", statistics.median(total)),
        ]
        for label, seconds in rows:
            print(f"{label:<34} {seconds:>8.2f} {seconds * 1000 / args.invitees:>8.2f} {seconds / floor:>8.2f}")
        print(f"\nTotal run time {time.perf_counter() - started:.1f} s")
    finally:
        destroy_database(tmpdir, old_name)
        controller.stop()
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
