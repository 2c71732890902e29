"""The tickets' version: it moves with every write to the tickets table, at once for what
this process commits and by NOTIFY for what others do (tests/tickets/test_kept_lists.py)."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.events.broker import BROKER, TICKETS_CHANNEL
from tests.factories import make_ticket

TOUCH = text("UPDATE tickets SET title = title")


@pytest.fixture
async def deaf_to_notify(app: FastAPI) -> AsyncIterator[str]:
    """The app's database URL, with the tickets' NOTIFY not heard meanwhile: only this
    process's own commits can move the version."""
    if app.state.db.dialect != "postgresql":
        assert BROKER.tickets_version(app.state.db.url) is None  # nothing heard, nothing kept
        pytest.skip("SQLite has no NOTIFY")
    listener = BROKER._listener
    assert listener is not None
    await listener.remove_listener(TICKETS_CHANNEL, BROKER._tickets_heard)
    try:
        yield app.state.db.url
    finally:
        await listener.add_listener(TICKETS_CHANNEL, BROKER._tickets_heard)


async def test_what_this_process_commits_moves_the_version_at_once(
    app: FastAPI, client: httpx.AsyncClient, deaf_to_notify: str
) -> None:
    await make_ticket(client)
    before = BROKER.tickets_version(deaf_to_notify)
    assert before is not None
    async with app.state.db.transaction() as session:
        await session.execute(TOUCH)
    by_session = BROKER.tickets_version(deaf_to_notify)
    assert by_session is not None and by_session > before
    async with app.state.db.engine.begin() as connection:  # a script's plain connection
        await connection.execute(TOUCH)
    by_connection = BROKER.tickets_version(deaf_to_notify)
    assert by_connection is not None and by_connection > by_session
    async with app.state.db.read_sessions() as session:
        await session.execute(text("SELECT count(*) FROM tickets"))
    assert BROKER.tickets_version(deaf_to_notify) == by_connection  # a read moves nothing
