"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what arrives, and an app whose
settings send through it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from supportdesk.config import EmailSettings, Settings
from supportdesk.jobs.registry import JobContext
from tests.jobs.test_durability import free_port


@dataclass
class Inbox:
    """What the test server received; `answer_rcpt` refuses recipients with that reply."""

    received: list[EmailMessage] = field(default_factory=list)
    answer_rcpt: str | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.answer_rcpt:
            return self.answer_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def email_settings(port: int) -> EmailSettings:
    return EmailSettings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        from_address="help@example.com",
        from_name="Acme Support",
        timeout_seconds=5,
    )


@contextmanager
def sending_through(app: FastAPI, port: int) -> Iterator[JobContext]:
    """The running app with email on (a second app would close the process's event
    broker), and the job context a worker of it would have."""
    before: Settings = app.state.settings
    app.state.settings = before.model_copy(update={"email": email_settings(port)})
    try:
        yield JobContext(app.state.settings, app.state.db, app.state.triage)
    finally:
        app.state.settings = before
