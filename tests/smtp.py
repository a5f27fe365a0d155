"""A real SMTP server on loopback (aiosmtpd) for tests: mail goes over a socket and is read back with
Python's email parser, not with the code that wrote it."""

import email
import email.policy
import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class _Inbox:
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    # Answers to give instead of accepting the next messages, e.g. "421 Try again later".
    refusals: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
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

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
