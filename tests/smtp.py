"""A real SMTP server on loopback (aiosmtpd) for tests: mail goes over a socket and is read back with
Python's email parser, not with the code that wrote it."""

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class _Inbox:
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    # Answers to give instead of accepting the next messages, e.g. "421 Try again later".
    refusals: list[str] = field(default_factory=list)
    # How many of the next messages to leave unanswered until released; they are then refused, never kept.
    holds: int = 0
    held: list[email.message.EmailMessage] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.holds:
            self.holds -= 1
            self.held.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self.holding.set()
            while not self.released.is_set():  # the client waits for the answer to its message
                await asyncio.sleep(0.02)
            return "451 4.3.0 Not accepted: the message was held and never completed"
        if self.refusals:
            return self.refusals.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.inbox = _Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.inbox.messages

    def refuse(self, answer: str, times: int = 1) -> None:
        """Answer the next `times` messages with `answer` (an SMTP reply such as "421 Busy") instead of
        accepting them."""
        self.inbox.refusals.extend([answer] * times)

    def hold(self, times: int = 1) -> None:
        """Leave the next `times` messages unanswered, as a server still taking a message in, until
        `release()`; then refuse them, so none is ever accepted. `inbox.holding` is set when one is held."""
        self.inbox.released.clear()
        self.inbox.holding.clear()
        self.inbox.holds = times

    def release(self) -> None:
        self.inbox.released.set()

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.release()
        self.controller.stop()
