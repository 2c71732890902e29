"""The tickets' version: it moves with every write to the tickets table, at once for what
this process commits and by NOTIFY for what others do (tests/tickets/test_kept.py); once
the listening connection is lost, there is none."""

import asyncio
import os
import signal
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text

from supportdesk.events import broker
from supportdesk.events.broker import BROKER, Broker
from tests.factories import make_ticket

TOUCH = text("UPDATE tickets SET title = title")


async def test_what_this_process_commits_moves_the_version_at_once(
    app: FastAPI, client: httpx.AsyncClient, deaf_to_notify: str
) -> None:
    await make_ticket(client)
    before = BROKER.tickets_version(deaf_to_notify)
    assert before is not None
    # A session's commit moves it once the commit is done, as well as when it starts: a
    # read meanwhile may have been kept at the version of the start.
    at_start: list[int | None] = []

    def starting(_: object) -> None:
        at_start.append(BROKER.tickets_version(deaf_to_notify))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "commit", starting)
    try:
        async with app.state.db.transaction() as session:
            await session.execute(TOUCH)
    finally:
        event.remove(engine, "commit", starting)
    by_session = BROKER.tickets_version(deaf_to_notify)
    assert at_start[0] is not None and at_start[0] > before
    assert by_session is not None and by_session > at_start[0]
    async with app.state.db.engine.begin() as connection:  # a script's plain connection
        await connection.execute(TOUCH)
    by_connection = BROKER.tickets_version(deaf_to_notify)
    assert by_connection is not None and by_connection > by_session
    async with app.state.db.read_sessions() as session:
        await session.execute(text("SELECT count(*) FROM tickets"))
    assert BROKER.tickets_version(deaf_to_notify) == by_connection  # a read moves nothing


@pytest.fixture
async def own_broker(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Broker]:
    """A broker of its own listening to the app's database, checking its connection often."""
    if app.state.db.dialect != "postgresql":
        pytest.skip("SQLite has no NOTIFY")
    monkeypatch.setattr(broker, "CHECK_SECONDS", 0.05)
    own = Broker()
    await own.listen(app.state.db.url)
    yield own
    await own.close()


async def _unheard(own: Broker, url: str) -> bool:
    for _ in range(100):
        if own.tickets_version(url) is None:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_listener_that_stops_answering_counts_as_lost(
    app: FastAPI, own_broker: Broker
) -> None:
    url = app.state.db.url
    assert own_broker.tickets_version(url) is not None
    assert own_broker._listener is not None
    # Its server process stopped: the connection stays open and says nothing (as one a
    # firewall dropped, or a server that failed over, would).
    backend = own_broker._listener.get_server_pid()
    try:
        os.kill(backend, signal.SIGSTOP)
    except PermissionError:
        pytest.skip("PostgreSQL's processes are not ours to stop here")
    try:
        assert await _unheard(own_broker, url)
    finally:
        os.kill(backend, signal.SIGCONT)


async def test_a_listener_the_server_closes_counts_as_lost(
    app: FastAPI, own_broker: Broker
) -> None:
    url = app.state.db.url
    assert own_broker._listener is not None
    pid = own_broker._listener.get_server_pid()
    async with app.state.db.engine.begin() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert await _unheard(own_broker, url)
