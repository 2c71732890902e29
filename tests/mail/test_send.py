"""Public replies go to the customer by email: written to the outbox with the reply, sent
by a job through a real SMTP server on 127.0.0.1, threaded, and never sent twice."""

import asyncio
import threading
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from supportdesk.conversations.models import Message
from supportdesk.mail import service as mail
from supportdesk.mail.models import OutboundEmail
from supportdesk.mail.tasks import send
from tests.conversations.helpers import file_ticket
from tests.factories import queued_jobs
from tests.mail.conftest import Inbox, sending_through


async def _reply(client: httpx.AsyncClient, ticket: int, body: str, kind: str = "reply") -> None:
    sent = await client.post(f"/api/tickets/{ticket}/messages", json={"kind": kind, "body": body})
    assert sent.status_code == 201, sent.text


async def _outbox(app: FastAPI) -> list[OutboundEmail]:
    async with app.state.db.sessions() as session:
        return list(await session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


async def _send_all(app: FastAPI, context: object) -> None:
    for email in await _outbox(app):
        await send(context, email_id=email.id)  # type: ignore[arg-type]


async def test_a_public_reply_is_emailed_to_the_customer_threaded_with_their_link(
    app: FastAPI,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous, email="ann@example.com")
    with sending_through(app, port) as context:
        await _reply(client, ticket, "We refunded one <b>charge</b>.")
        await _reply(client, ticket, "Internal: check the ledger", kind="note")  # never sent
        queued = [args for _, name, args in await queued_jobs(app, "mail.")]
        assert len(queued) == 1
        await _send_all(app, context)
        await _reply(client, ticket, "It is on your statement now.")
        await _send_all(app, context)

    first, second = inbox.received
    assert first["From"] == "Acme Support <help@example.com>"
    assert first["To"] == "ann@example.com"
    assert first["Subject"] == f"Re: [#{ticket}] Charged twice"
    assert first["Auto-Submitted"] is None  # an agent wrote it (RFC 3834)
    text = first.get_body(preferencelist=("plain",)).get_content()
    html = first.get_body(preferencelist=("html",)).get_content()
    assert "We refunded one <b>charge</b>." in text and "Acme Support" in text
    assert "&lt;b&gt;charge&lt;/b&gt;" in html and "<b>charge" not in html
    assert "check the ledger" not in text
    # Threaded: the second names the first; both Message-IDs are the replies' own.
    assert second["In-Reply-To"] == first["Message-ID"]
    assert first["Message-ID"] in second["References"]
    async with app.state.db.sessions() as session:
        ids = list(await session.scalars(select(Message.email_message_id).order_by(Message.id)))
    assert ids == [first["Message-ID"], None, second["Message-ID"]]
    # The link in the email opens the customer's page.
    secret = text.split("/c#", 1)[1].split()[0]
    view = await anonymous.get("/api/customer/ticket", headers={"X-Customer-Token": secret})
    assert view.status_code == 200 and view.json()["id"] == ticket
    assert [e.status for e in await _outbox(app)] == ["sent", "sent"]
    # The stored copies no longer carry a working link: only its hash is kept.
    for stored in await _outbox(app):
        assert "sdc_" not in stored.text_body + stored.html_body
        assert "[secret removed]" in stored.text_body
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert [(m["kind"], m["email"]) for m in thread] == [
        ("customer", None),
        ("reply", "sent"),
        ("note", None),
        ("reply", "sent"),
    ]


async def test_a_job_run_again_sends_nothing_twice(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous)
    with sending_through(app, port) as context:
        await _reply(client, ticket, "Hello")
        await _send_all(app, context)
        await _send_all(app, context)
    assert len(inbox.received) == 1


async def test_a_job_that_died_while_sending_is_not_sent_again(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    """What a job killed after the server took the message leaves behind: `sending`."""
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous)
    with sending_through(app, port) as context:
        await _reply(client, ticket, "Hello")
        async with app.state.db.transaction() as session:
            await session.execute(update(OutboundEmail).values(status="sending", attempts=1))
        await _send_all(app, context)
    assert inbox.received == []
    (email,) = await _outbox(app)
    assert email.status == "unconfirmed" and "not sent again" in (email.last_error or "")


async def test_a_job_that_died_before_sending_sends_on_the_next_try(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous)
    with sending_through(app, port) as context:
        await _reply(client, ticket, "Hello")
        async with app.state.db.transaction() as session:
            await session.execute(update(OutboundEmail).values(status="connecting", attempts=1))
        await _send_all(app, context)
    assert len(inbox.received) == 1
    (email,) = await _outbox(app)
    assert (email.status, email.attempts) == ("sent", 2)


async def test_a_server_saying_later_gets_a_retry_and_one_saying_never_does_not(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous)
    with sending_through(app, port) as context:
        await _reply(client, ticket, "Hello")
        inbox.answer_rcpt = "451 4.3.0 try again later"
        with pytest.raises(Exception, match="451"):
            await _send_all(app, context)
        assert [e.status for e in await _outbox(app)] == ["queued"]
        inbox.answer_rcpt = None
        await _send_all(app, context)
        assert len(inbox.received) == 1

        await _reply(client, ticket, "Again")
        inbox.answer_rcpt = "550 5.1.1 no such user"
        await _send_all(app, context)  # no raise: a refusal for good is not retried
    emails = await _outbox(app)
    assert [e.status for e in emails] == ["sent", "failed"]
    assert "550" in (emails[1].last_error or "")
    assert len(inbox.received) == 1


async def test_without_an_smtp_server_nothing_is_queued(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    await _reply(client, ticket, "Hello")
    assert await _outbox(app) == []
    assert await queued_jobs(app, "mail.") == []


async def test_an_attempt_taken_over_while_slow_does_not_send_a_second_copy(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    """A stalled-job recovery may restart a job whose worker was only slow: the slow one,
    no longer the owner of the email, stops before the message goes."""
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous)
    rcpt_seen, go_on = threading.Event(), threading.Event()

    class Slow(Inbox):
        async def handle_RCPT(self, *args: Any) -> str:
            rcpt_seen.set()
            await asyncio.to_thread(go_on.wait, 10)  # the server runs its own loop
            return await super().handle_RCPT(*args)

    inbox.__class__ = Slow
    with sending_through(app, port) as context:
        await _reply(client, ticket, "Hello")
        (email,) = await _outbox(app)
        slow = asyncio.create_task(mail.send(app.state.db, email.id, context.settings.email))
        await asyncio.to_thread(rcpt_seen.wait, 10)
        async with app.state.db.transaction() as session:  # another attempt takes over
            await session.execute(update(OutboundEmail).values(attempts=OutboundEmail.attempts + 1))
        go_on.set()
        outcome = await slow
    assert outcome == "taken over"
    assert inbox.received == []


async def test_an_address_no_mail_can_carry_fails_without_retries(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    ticket, _ = await file_ticket(anonymous, email="ann@example.com")
    with sending_through(app, port) as context:
        await _reply(client, ticket, "Hello")
        async with app.state.db.transaction() as session:
            await session.execute(
                update(OutboundEmail).values(to=["ann\r\nBcc: x@evil@example.com"])
            )
        await _send_all(app, context)
    (email,) = await _outbox(app)
    assert email.status == "failed" and inbox.received == []
