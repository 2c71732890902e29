"""Filing received email: kept once, reopening and following up as the portal does,
merged tickets, floods, loops, the size limit, those copied, the acknowledgement."""

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from supportdesk.inbox import service
from supportdesk.mail.models import Arrival, OutboundEmail
from supportdesk.mail.tasks import send
from supportdesk.tickets.models import Ticket
from tests.conversations.helpers import file_ticket, resolved_days_ago
from tests.factories import queued_jobs
from tests.inbox.conftest import OURS, corpus, deliver, inbound, we_emailed, with_email
from tests.mail.conftest import Inbox, email_settings, sending_through


def _email(sender: str, body: str, *, subject: str = "Hello", headers: str = "") -> bytes:
    number = abs(hash((sender, body, subject, headers)))
    return (
        f"From: {sender}\r\nTo: help@example.com\r\nSubject: {subject}\r\n"
        f"Message-ID: <m{number}@test>\r\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def _answer(sender: str, body: str, message_id: str = OURS) -> bytes:
    return _email(sender, body, headers=f"In-Reply-To: {message_id}\r\n")


def _exchange(sender: str, asked: str, answered: str) -> tuple[bytes, bytes]:
    """A customer's question and their own answer to it (its In-Reply-To names it)."""
    message_id = f"<q-{sender}>"
    question = _email(sender, asked).replace(
        b"Message-ID: <m", f"Message-ID: {message_id}\r\nX-Was: <m".encode()
    )
    return question, _answer(sender, answered, message_id)


async def _ticket(app: FastAPI, ticket_id: int) -> Ticket:
    async with app.state.db.sessions() as session:
        found = await session.get(Ticket, ticket_id)
        assert found is not None
        return found


async def test_the_same_email_twice_is_kept_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    raw = _email("gil@example.com", "My export is stuck.")
    await deliver(app, raw)
    async with app.state.db.transaction() as session:
        again = await service.receive(session, raw, "imap", app.state.settings)
    assert again.email_id is None
    assert len(await inbound(app)) == 1
    assert (await client.get("/api/tickets")).json()["count"] == 1


async def test_an_answer_reopens_a_resolved_ticket_and_long_after_opens_a_linked_one(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    await we_emailed(app, ticket)
    await client.patch(f"/api/tickets/{ticket}", json={"status": "resolved"})
    row = await deliver(app, _answer("ann.lee@example.com", "It broke again."))
    assert (row.status, row.ticket_id) == (Arrival.REOPENED, ticket)
    assert (await _ticket(app, ticket)).status == "open"

    await client.patch(f"/api/tickets/{ticket}", json={"status": "resolved"})
    await resolved_days_ago(app, ticket, 60)
    row = await deliver(app, _answer("ann.lee@example.com", "Months later, same problem."))
    assert row.status == Arrival.OPENED and row.ticket_id != ticket
    assert row.ticket_id is not None
    assert (await _ticket(app, row.ticket_id)).follow_up_of == ticket


async def test_an_answer_to_a_merged_ticket_joins_the_ticket_it_went_into(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    into, _ = await file_ticket(anonymous, email="ann.lee@example.com", title="Refund")
    merged, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    await we_emailed(app, merged)
    answer = await client.post(f"/api/tickets/{merged}/merge", json={"into": into})
    assert answer.status_code == 200, answer.text
    row = await deliver(app, _answer("ann.lee@example.com", "Any news?"))
    assert (row.status, row.ticket_id) == (Arrival.ADDED, into)


async def test_a_flooding_sender_is_throttled_and_machines_and_loops_are_never_answered(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    settings = with_email(app.state.settings, per_sender_per_hour=2)
    for n in range(2):
        row = await deliver(app, _email("flood@example.com", f"Help {n}"), settings=settings)
        assert row.status == Arrival.OPENED
    row = await deliver(app, _email("flood@example.com", "Help 3"), settings=settings)
    assert row.status == Arrival.THROTTLED and row.ticket_id is None
    assert row.raw is not None  # kept, unread
    own = await deliver(app, _email("Help@Example.com", "Our own words, back again"))
    assert own.status == Arrival.IGNORED and own.reason == "from our own address (a loop)"
    assert (await client.get("/api/tickets")).json()["count"] == 2


async def test_an_email_over_the_size_limit_is_refused_and_recorded_not_kept(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # 30 MB: an attachment no helpdesk should keep (the limit is 25 MB).
    huge = _email("big@example.com", "x" * 30_000_000, subject="Log files")
    assert len(huge) > 30_000_000
    async with app.state.db.transaction() as session:
        received = await service.receive(session, huge, "imap", app.state.settings)
    assert (received.email_id, received.status) == (None, Arrival.REFUSED)
    (row,) = await inbound(app)
    assert (row.status, row.sender, row.subject, row.raw) == (
        "refused",
        "big@example.com",
        "Log files",
        None,
    )
    assert row.reason == f"{len(huge)} bytes is over the limit of 25000000 bytes"
    assert not await queued_jobs(app, "inbox.")


async def test_those_copied_join_the_ticket_and_get_the_replies(
    app: FastAPI, client: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    server, port = smtp
    opened = await deliver(
        app, _email("dan@fox.example", "Wrong VAT number", headers="Cc: erin@fox.example\r\n")
    )
    ticket = opened.ticket_id
    # Erin answers the customer's email (which she was copied on): it joins the ticket.
    assert opened.message_id is not None
    row = await deliver(
        app, _answer("erin@fox.example", "Our VAT number is X1.", opened.message_id)
    )
    assert (row.status, row.ticket_id) == (Arrival.ADDED, ticket)
    with sending_through(app, port) as context:
        sent = await client.post(
            f"/api/tickets/{ticket}/messages", json={"kind": "reply", "body": "Fixed."}
        )
        assert sent.status_code == 201
        async with app.state.db.sessions() as session:
            emails = list(await session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))
        for email in emails:
            await send(context, email_id=email.id)
    reply, copy = server.received
    assert (reply["To"], reply["Cc"]) == ("dan@fox.example", None)
    # Threaded under the last email of the conversation: Erin's.
    assert reply["In-Reply-To"] == row.message_id
    assert opened.message_id in reply["References"]
    # Erin gets her own copy, without the customer's private link.
    assert copy["To"] == "erin@fox.example" and copy["In-Reply-To"] == row.message_id
    assert "/c#" in reply.get_body(preferencelist=("plain",)).get_content()
    assert "/c#" not in copy.get_body(preferencelist=("plain",)).get_content()


async def test_a_ticket_opened_by_email_is_acknowledged_and_the_answer_to_that_joins_it(
    app: FastAPI, client: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    server, port = smtp
    email = {**email_settings(port).model_dump(), "acknowledge": True}
    settings = with_email(app.state.settings, **email)
    opened = await deliver(app, _email("hal@example.com", "The app crashes."), settings=settings)
    with sending_through(app, port) as context:
        async with app.state.db.sessions() as session:
            email = await session.scalar(select(OutboundEmail))
        assert email is not None and email.automatic
        await send(context, email_id=email.id)
    (ack,) = server.received
    assert ack["Auto-Submitted"] == "auto-replied"  # RFC 3834: no auto-reply answers it
    assert ack["In-Reply-To"] == opened.message_id
    assert ack["Subject"] == f"[#{opened.ticket_id}] Hello"
    assert "/c#sdc_" in ack.get_body(preferencelist=("plain",)).get_content()
    row = await deliver(app, _answer("hal@example.com", "Also on my tablet.", ack["Message-ID"]))
    assert (row.status, row.ticket_id) == (Arrival.ADDED, opened.ticket_id)


async def test_a_tag_or_marker_for_someone_elses_ticket_does_not_let_a_stranger_in(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    tagged = _email("mallory@example.com", "Add me", subject=f"Re: [#{ticket}] Charged twice")
    row = await deliver(app, tagged)
    assert row.status == Arrival.OPENED and row.ticket_id != ticket
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert len(thread) == 1
    # A tag naming no ticket opens a new one.
    unknown = await deliver(app, _email("ann.lee@example.com", "Hi", subject="[#999999] Hi"))
    assert unknown.status == Arrival.OPENED
    async with app.state.db.transaction() as session:
        await session.execute(update(Ticket).values(status="open"))
    marker = (
        corpus("gmail_forward_from_colleague.eml", ticket)
        .replace(b"bob.stone@example.com", b"ann.lee@example.com")
        .replace(b"Fwd: [#", b"Fwd: [")
    )
    row = await deliver(app, marker)  # found by the line our emails end with
    assert (row.status, row.ticket_id) == (Arrival.ADDED, ticket)


def _checked(*verdicts: str) -> str:
    """Authentication-Results headers, topmost first (`server; results`)."""
    return "".join(f"Authentication-Results: {verdict}\r\n" for verdict in verdicts)


async def test_a_forged_answer_is_kept_but_never_written_into_the_conversation(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    """Our receiving server (trusted) says the From is not the customer's: the email is
    kept, unread, and the customer's thread stays as it was. Headers the sender wrote below
    it, or a server we do not trust, change nothing."""
    ticket, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    await we_emailed(app, ticket)
    settings = with_email(app.state.settings, trusted_authserv_ids="mx.example.com")
    forged = _checked(
        "mx.example.com; spf=fail smtp.mailfrom=example.com; dmarc=fail header.from=example.com",
        "mx.example.com; dmarc=pass header.from=example.com",  # the sender's own words
    )
    row = await deliver(
        app,
        _email("ann.lee@example.com", "Refund to my new card", headers=forged + _to(OURS)),
        settings=settings,
    )
    assert (row.status, row.ticket_id) == (Arrival.IGNORED, None)  # nothing to thread on
    assert row.reason == "the sender is not verified (dmarc=fail, spf=fail by mx.example.com)"
    assert row.raw is not None
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert len(thread) == 1

    spf_only = _checked("mx.example.com; spf=fail smtp.mailfrom=example.com; dkim=pass")
    untrusted = _checked("elsewhere.example.net; dmarc=fail header.from=example.com")
    for headers in (spf_only, untrusted):  # DKIM vouches for it; a server we do not trust
        row = await deliver(
            app,
            _email("ann.lee@example.com", f"Thanks {headers}", headers=headers + _to(OURS)),
            settings=settings,
        )
        assert (row.status, row.ticket_id) == (Arrival.ADDED, ticket)


def _to(message_id: str) -> str:
    return f"In-Reply-To: {message_id}\r\n"


async def test_an_answer_that_arrives_before_its_question_waits_for_the_question_s_ticket(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    settings = with_email(app.state.settings)
    question, answer = _exchange("ivy@example.com", "My export is stuck.", "It is a CSV export.")
    ids = []
    async with app.state.db.transaction() as session:
        for raw in (answer, question):  # two servers: the answer came in first
            ids.append((await service.receive(session, raw, "smtp", settings)).email_id)
    classifier = app.state.triage.classifier
    # Its question is here, unfiled: the answer goes back in the queue for a moment.
    assert await service.ingest(app.state.db, ids[0], classifier, settings) == Arrival.RECEIVED
    again = [args for _, _, args in await queued_jobs(app, "inbox.") if args.get("waited")]
    assert again == [{"email_id": ids[0], "waited": 1}]
    assert await service.ingest(app.state.db, ids[1], classifier, settings) == Arrival.OPENED
    filed = await service.ingest(app.state.db, ids[0], classifier, settings, waited=1)
    assert filed == Arrival.ADDED
    answered, asked = await inbound(app)
    assert answered.ticket_id == asked.ticket_id


async def test_an_answer_whose_question_is_being_filed_waits_for_it_in_place(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """The usual case of an early answer: its question is being filed by another job at
    the same moment. The answer looks again a moment later and joins, with no second job."""
    settings = with_email(app.state.settings)
    question, answer = _exchange("kai@example.com", "My invoice is wrong.", "It is invoice 42.")
    async with app.state.db.transaction() as session:
        asked = (await service.receive(session, question, "smtp", settings)).email_id
        answered = (await service.receive(session, answer, "smtp", settings)).email_id
    assert asked is not None and answered is not None
    classifier = app.state.triage.classifier

    async def question_a_moment_later() -> Arrival:
        await asyncio.sleep(service.LOOK_AGAIN_SECONDS * 2)
        return await service.ingest(app.state.db, asked, classifier, settings)

    outcomes = await asyncio.gather(
        service.ingest(app.state.db, answered, classifier, settings), question_a_moment_later()
    )
    assert outcomes == [Arrival.ADDED, Arrival.OPENED]
    assert not [args for _, _, args in await queued_jobs(app, "inbox.") if args.get("waited")]


async def test_an_answer_whose_question_is_not_received_yet_waits_for_it_a_moment(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """Two connections: the answer is kept and its job starts before the question's
    server has even handed the question over."""
    settings = with_email(app.state.settings)
    question, answer = _exchange("lu@example.com", "My card was declined.", "It is a Visa card.")
    async with app.state.db.transaction() as session:
        answered = (await service.receive(session, answer, "smtp", settings)).email_id
    assert answered is not None
    classifier = app.state.triage.classifier

    async def question_arrives_a_moment_later() -> Arrival:
        await asyncio.sleep(service.LOOK_AGAIN_SECONDS * 2)
        async with app.state.db.transaction() as session:
            asked = (await service.receive(session, question, "smtp", settings)).email_id
        assert asked is not None
        return await service.ingest(app.state.db, asked, classifier, settings)

    outcomes = await asyncio.gather(
        service.ingest(app.state.db, answered, classifier, settings),
        question_arrives_a_moment_later(),
    )
    assert outcomes == [Arrival.ADDED, Arrival.OPENED]
    rows = await inbound(app)
    assert len({row.ticket_id for row in rows}) == 1


async def test_an_answer_whose_question_never_gets_filed_is_filed_after_a_while(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    settings = with_email(app.state.settings)
    question, answer = _exchange("jo@example.com", "Stuck.", "Still stuck.")
    async with app.state.db.transaction() as session:
        await service.receive(session, question, "smtp", settings)
        waiting = (await service.receive(session, answer, "smtp", settings)).email_id
    assert waiting is not None
    classifier = app.state.triage.classifier
    last = service.ANSWER_WAITS
    filed = await service.ingest(app.state.db, waiting, classifier, settings, waited=last)
    assert filed == Arrival.OPENED


async def test_an_email_too_broken_to_read_is_kept_and_never_retried(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # Headers the stdlib's modern parser fails on (an unclosed quote, a bare "<@").
    broken = (
        b'From: someone@example.com\r\nTo: "\r\nMessage-ID: <@__\r\n'
        b"Subject: Help\r\n\r\nnot much of an email\r\n"
    )
    row = await deliver(app, broken)
    assert row.status == Arrival.IGNORED and row.raw == broken
    assert row.reason is not None and row.reason.startswith("unreadable: IndexError")
    assert (await client.get("/api/tickets")).json()["count"] == 0


async def test_a_long_crafted_email_keeps_its_text(app: FastAPI, client: httpx.AsyncClient) -> None:
    """The reply parser reads the head only (its patterns slow down sharply on long
    crafted text); an email with no quote in its head keeps all of its text."""
    body = "On Mon, 1 Jan 2024 someone " * 2_500  # 67 KB
    row = await deliver(app, _email("long@example.com", body))
    assert row.status == Arrival.OPENED
    ticket = (await client.get(f"/api/tickets/{row.ticket_id}")).json()
    assert len(ticket["description"]) > 19_000  # kept (up to the text limit), not cut
