"""A real SMTP server in the test process (aiosmtpd): what Tribewise sends is received, parsed and kept in order."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.server import free_port


@dataclass
class Inbox:
    """Every message the server took, and where it listens."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?starttls=off"

    def wait_for(self, count: int, seconds: float = 5) -> list[EmailMessage]:
        """The messages once at least `count` arrived (a failure after `seconds`)."""
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} messages arrived, expected {count}"
        return self.messages

    def to(self, address: str, count: int = 0, seconds: float = 5) -> list[EmailMessage]:
        """The messages to one address, once at least `count` of them arrived."""
        deadline = time.monotonic() + seconds
        while len(found := [m for m in self.messages if m["To"] == address]) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(found) >= count, f"{len(found)} messages to {address} arrived, expected {count}"
        return found


class _Keep:
    def __init__(self, inbox: Inbox):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.inbox.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Inbox]:
    """An SMTP server on a free port (or the one given) for as long as the block runs."""
    inbox = Inbox(port or free_port())
    controller = Controller(_Keep(inbox), hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def link_in(message: EmailMessage, path: str) -> str:
    """The path of the first link to `path` (such as '/reset/') in the plain-text part."""
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)
