"""Email in: the corpus of .eml files we wrote, and delivering one as a mail server would
(kept by `receive`, then filed by the job)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from supportdesk.config import EmailSettings, Settings
from supportdesk.inbox import service
from supportdesk.mail.models import Arrival, InboundEmail, OutboundEmail
from tests.inbox.dovecot import Imap, dovecot
from tests.mail.conftest import smtp  # noqa: F401  (a fixture)

CORPUS = Path(__file__).parent / "corpus"
# The Message-ID of "our" earlier email that the corpus's replies answer.
OURS = "<sd.0000000000000000000000000000cafe@example.com>"


def with_email(settings: Settings, **email: Any) -> Settings:
    """The app's settings, receiving at help@example.com (the corpus's address)."""
    changed = EmailSettings(
        **{**settings.email.model_dump(), "from_address": "help@example.com", **email}
    )
    return settings.model_copy(update={"email": changed})


def corpus(name: str, ticket: int | None = None) -> bytes:
    raw = (CORPUS / name).read_bytes()
    return raw.replace(b"{{TICKET}}", str(ticket).encode()) if ticket is not None else raw


async def deliver(
    app: FastAPI, raw: bytes, via: str = "smtp", settings: Settings | None = None
) -> InboundEmail:
    """Receive the email and run its job, as a worker would; the stored row after."""
    settings = settings or with_email(app.state.settings)
    async with app.state.db.transaction() as session:
        received = await service.receive(session, raw, via, settings)
    assert received.email_id is not None, "seen before"
    await service.ingest(app.state.db, received.email_id, app.state.triage.classifier, settings)
    async with app.state.db.sessions() as session:
        row = await session.get(InboundEmail, received.email_id)
        assert row is not None and row.status != Arrival.RECEIVED
        return row


async def we_emailed(app: FastAPI, ticket: int, message_id: str = OURS) -> None:
    """Our earlier email on the ticket, the one replies answer."""
    async with app.state.db.transaction() as session:
        session.add(
            OutboundEmail(
                message_id=message_id,
                ticket_id=ticket,
                sender="Acme Support <help@example.com>",
                to=["ann.lee@example.com"],
                cc=[],
                subject=f"Re: [#{ticket}] Charged twice",
                text_body="We refunded one charge.",
                html_body="<p>We refunded one charge.</p>",
                references=[],
                status="sent",
            )
        )


async def inbound(app: FastAPI) -> list[InboundEmail]:
    async with app.state.db.sessions() as session:
        return list(await session.scalars(select(InboundEmail).order_by(InboundEmail.id)))


@pytest.fixture
def imap() -> Iterator[Imap]:
    with dovecot() as server:
        yield server


@contextmanager
def running_with(app: FastAPI, settings: Settings) -> Iterator[None]:
    """The running app with other settings (a second app would close the event broker)."""
    before = app.state.settings
    app.state.settings = settings
    try:
        yield
    finally:
        app.state.settings = before
