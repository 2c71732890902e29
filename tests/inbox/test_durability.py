"""kill -9 of a real `supportdesk worker` while it files received email, on PostgreSQL:
every email is filed once (one ticket each), none is lost."""

import asyncio
import signal

from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.inbox import service, tasks  # noqa: F401  (tasks: the job it enqueues)
from tests.jobs.test_durability import postgres_url, scalar, spawn, wait_for

__all__ = ["postgres_url"]  # the fixture, imported

EMAILS = 40
FILED = "SELECT count(*) FROM inbound_emails WHERE status <> 'received'"


def _email(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: help@example.com\r\n"
        f"Subject: My export number {n} is stuck\r\nMessage-ID: <kill-{n}@example.com>\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"The CSV export has been running for an hour, attempt {n}.\r\n"
    ).encode()


async def test_a_worker_killed_while_filing_email_loses_none_and_files_none_twice(
    postgres_url: str,
) -> None:
    database = Database(postgres_url)
    settings = Settings(database_url=postgres_url)
    try:
        async with database.transaction() as session:
            for n in range(EMAILS):
                await service.receive(session, _email(n), "smtp", settings)
    finally:
        await database.dispose()
    env = {"DATABASE_URL": postgres_url, "JOBS_STALLED_SECONDS": "3"}
    first = spawn("worker", env)
    # Killed mid-way: some filed, the rest (one perhaps half-done) still to do.
    await wait_for(lambda: _at_least(postgres_url, 3), "the first emails filed")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert await scalar(postgres_url, FILED) < EMAILS

    second = spawn("worker", env)
    try:
        await wait_for(lambda: _at_least(postgres_url, EMAILS), "every email filed")
        await asyncio.sleep(4)  # past another stall period: nothing filed again
    finally:
        second.terminate()
        second.wait(timeout=20)
    assert await scalar(postgres_url, "SELECT count(*) FROM tickets") == EMAILS
    opened = "SELECT count(DISTINCT ticket_id) FROM inbound_emails WHERE status = 'opened'"
    assert await scalar(postgres_url, opened) == EMAILS


async def _at_least(url: str, count: int) -> bool:
    return await scalar(url, FILED) >= count
