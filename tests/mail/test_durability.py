"""kill -9 of a real `supportdesk worker` while it sends an email, on PostgreSQL: nothing
is lost and nothing arrives twice at a real SMTP server on 127.0.0.1 (counted there)."""

import asyncio
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from supportdesk.config import EmailSettings
from supportdesk.db import Database
from supportdesk.mail import service, tasks  # noqa: F401  (tasks: the job it enqueues)
from tests.jobs.test_durability import free_port, postgres_url, scalar, spawn, wait_for
from tests.mail.conftest import Inbox

__all__ = ["postgres_url"]  # the fixture, imported

STATUS = "SELECT count(*) FROM outbound_emails WHERE status = '{}'"


class SlowInbox(Inbox):
    """Keeps the message the moment it arrives, then takes its time to answer (DATA), or
    takes its time to accept a recipient (RCPT): a worker killed meanwhile is mid-send."""

    def __init__(self, slow: str) -> None:
        super().__init__()
        self.slow = slow
        self.rcpt_seen = threading.Event()

    async def handle_RCPT(self, *args: Any) -> str:
        first = not self.rcpt_seen.is_set()
        self.rcpt_seen.set()
        if self.slow == "rcpt" and first:
            await asyncio.sleep(8)  # the worker is killed well before
        return await super().handle_RCPT(*args)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if self.slow == "data" and len(self.received) == 1:
            await asyncio.sleep(8)  # the worker is killed well before
        return answer


@pytest.fixture(params=["data", "rcpt"])
def slow_inbox(request: pytest.FixtureRequest) -> Iterator[tuple[SlowInbox, int]]:
    inbox, port = SlowInbox(request.param), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def test_a_worker_killed_mid_send_neither_loses_nor_doubles_the_email(
    postgres_url: str, slow_inbox: tuple[SlowInbox, int]
) -> None:
    inbox, port = slow_inbox
    email = EmailSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
    database = Database(postgres_url)
    try:
        async with database.transaction() as session:
            outgoing = service.Outgoing(["ann@example.com"], "Re: [#1] Hi", "Hello", "<p>Hello</p>")
            await service.queue(session, outgoing, email)
    finally:
        await database.dispose()
    env = {
        "DATABASE_URL": postgres_url,
        "JOBS_STALLED_SECONDS": "3",
        "EMAIL_SMTP_HOST": "127.0.0.1",
        "EMAIL_SMTP_PORT": str(port),
        "EMAIL_SMTP_SECURITY": "none",
    }
    first = spawn("worker", env)
    if inbox.slow == "data":  # killed after the server has the whole message
        await wait_for(lambda: asyncio.sleep(0, len(inbox.received) == 1), "the message")
    else:  # killed before the message went
        await wait_for(lambda: asyncio.sleep(0, inbox.rcpt_seen.is_set()), "a recipient")
    first.send_signal(signal.SIGKILL)
    first.wait()

    second = spawn("worker", env)
    try:
        if inbox.slow == "data":
            await wait_for(lambda: scalar(postgres_url, STATUS.format("unconfirmed")), "doubt")
        else:
            await wait_for(lambda: scalar(postgres_url, STATUS.format("sent")), "the send")
        await asyncio.sleep(4)  # past another stall period: still one copy
    finally:
        second.terminate()
        second.wait(timeout=20)
    assert len(inbox.received) == 1
