"""The built-in SMTP listener, spoken to by a real SMTP client (aiosmtplib): 250 once the
email is kept, 552 (recorded) over the size limit."""

from collections.abc import AsyncIterator

import aiosmtplib
import httpx
import pytest
from fastapi import FastAPI

from supportdesk.config import Settings
from supportdesk.inbox.listener import Listener
from tests.factories import queued_jobs
from tests.inbox.conftest import corpus, inbound, with_email
from tests.jobs.test_durability import free_port


@pytest.fixture
async def listening(app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[Settings]:
    port = free_port()
    settings = with_email(app.state.settings, listen=f"127.0.0.1:{port}", max_message_bytes=50_000)
    listener = Listener(app.state.db, settings)
    await listener.start()
    try:
        yield settings
    finally:
        await listener.stop()


def _port(settings: Settings) -> int:
    return int(settings.email.listen.rpartition(":")[2])


async def test_an_email_sent_to_the_listener_is_kept_with_its_job(
    app: FastAPI, listening: Settings
) -> None:
    raw = corpus("attachments_and_inline_image.eml")
    errors, answer = await aiosmtplib.send(
        raw,
        sender="dan@fox.example",
        recipients=["help@example.com"],
        hostname="127.0.0.1",
        port=_port(listening),
    )
    assert errors == {} and answer.startswith("2.0.0 OK: kept")
    (row,) = await inbound(app)
    assert (row.via, row.status, row.sender) == ("smtp", "received", "dan@fox.example")
    assert row.raw is not None and b"invoice-2026-11.pdf" in row.raw
    queued = [args for _, _, args in await queued_jobs(app, "inbox.")]
    assert queued == [{"email_id": row.id}]


async def test_an_email_over_the_limit_is_refused_with_552_and_recorded(
    app: FastAPI, listening: Settings
) -> None:
    raw = corpus("html_only_new_ticket.eml") + b"<p>" + b"x" * 60_000 + b"</p>\r\n"
    with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
        await aiosmtplib.send(
            raw,
            sender="carol@shop.example",
            recipients=["help@example.com"],
            hostname="127.0.0.1",
            port=_port(listening),
        )
    assert refused.value.code == 552
    (row,) = await inbound(app)
    assert (row.status, row.sender, row.raw) == ("refused", "carol@shop.example", None)
    assert not await queued_jobs(app, "inbox.")
