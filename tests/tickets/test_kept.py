"""List pages and stats kept per process on PostgreSQL until a ticket changes: served
again to whoever asks the same URL and sees the same teams, and let go at the next write,
whichever process or script makes it."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.events.broker import BROKER, TICKETS_CHANNEL
from supportdesk.jobs.postgres import psycopg_dsn
from supportdesk.stats import router as stats_router
from supportdesk.types import utcnow
from tests.factories import bearer, make_staff, make_ticket, recorded_statements


async def _reads_of(app: FastAPI, client: httpx.AsyncClient, **params: Any) -> int:
    """How many statements the list sends the database for this read."""
    with recorded_statements(app) as statements:
        response = await client.get("/api/tickets", params=params)
    assert response.status_code == 200, response.text
    return len(statements)


async def _until_kept(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Reads the list until it is served kept (the NOTIFY of the test's own writes, heard a
    moment after their commits, lets go what was kept before it)."""
    for _ in range(100):
        if await _reads_of(app, client) == 0:
            return
        await asyncio.sleep(0.02)
    pytest.fail("the list was never served kept")


@pytest.fixture
async def outsider(app: FastAPI) -> AsyncIterator[asyncpg.Connection]:
    """A connection of another process's: its writes reach the app only by NOTIFY."""
    if app.state.db.dialect != "postgresql":
        pytest.skip("SQLite has no NOTIFY: no list page is kept there")
    connection = await asyncpg.connect(psycopg_dsn(app.state.db.url))
    yield connection
    await connection.close()


async def _titles(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> list[str]:
    response = await client.get("/api/tickets", headers=headers)
    assert response.status_code == 200, response.text
    return [ticket["title"] for ticket in response.json()["results"]]


# Tests that count reads or compare versions do not hear the tickets' NOTIFY
# (`deaf_to_notify`): one from a write of their own, heard a moment after its commit, would
# let go an answer kept meanwhile, and only sometimes.


async def test_a_list_read_again_is_served_kept_until_the_app_writes(
    app: FastAPI, client: httpx.AsyncClient, deaf_to_notify: str
) -> None:
    ticket = (await make_ticket(client, title="Refund please"))["id"]
    assert await _reads_of(app, client, status="open") > 0
    assert await _reads_of(app, client, status="open") == 0
    # The app's own write: the next read has it, with no wait (and no NOTIFY heard).
    changed = await client.patch(f"/api/tickets/{ticket}", json={"status": "resolved"})
    assert changed.status_code == 200, changed.text
    after = await client.get("/api/tickets", params={"status": "open"})
    assert after.json()["count"] == 0


async def test_a_write_from_elsewhere_lets_kept_pages_go(
    app: FastAPI, client: httpx.AsyncClient, outsider: asyncpg.Connection
) -> None:
    ticket = (await make_ticket(client, title="Refund please"))["id"]
    await _until_kept(app, client)
    await outsider.execute("UPDATE tickets SET title = 'Changed by a script' WHERE id = $1", ticket)
    for _ in range(100):  # the trigger's NOTIFY comes within milliseconds
        if await _titles(client) == ["Changed by a script"]:
            break
        await asyncio.sleep(0.02)
    assert await _titles(client) == ["Changed by a script"]


async def test_each_team_scope_and_each_me_has_its_own_page(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, deaf_to_notify: str
) -> None:
    ids = [
        (await make_ticket(client, title=title))["id"] for title in ("Maya's", "Omar's", "Crash")
    ]
    maya_id, maya = await make_staff(app, "agent", ("billing_team",))
    omar_id, omar = await make_staff(app, "agent", ("billing_team",))
    async with app.state.db.transaction() as session:
        for ticket, team, person in zip(
            ids, ("billing_team", "billing_team", "tech"), (maya_id, omar_id, None), strict=True
        ):
            await session.execute(
                text("UPDATE tickets SET team = :team, assignee_id = :person WHERE id = :id"),
                {"team": team, "person": person, "id": ticket},
            )
    for token in (maya, omar):  # a credential's first use is written down (a commit)
        assert (await anonymous.get("/api/auth/me", headers=bearer(token))).status_code == 200
    # The admin's page (every team) is kept first; the billing agents ask the same URL.
    version = BROKER.tickets_version(deaf_to_notify)
    assert sorted(await _titles(client)) == ["Crash", "Maya's", "Omar's"]
    assert sorted(await _titles(anonymous, bearer(maya))) == ["Maya's", "Omar's"]
    mine = await anonymous.get("/api/tickets?assignee=me", headers=bearer(maya))
    theirs = await anonymous.get("/api/tickets?assignee=me", headers=bearer(omar))
    assert [t["title"] for t in mine.json()["results"]] == ["Maya's"]
    assert [t["title"] for t in theirs.json()["results"]] == ["Omar's"]
    assert BROKER.tickets_version(deaf_to_notify) == version  # all read at one version


async def test_stats_are_kept_per_team_scope_and_day_until_a_ticket_changes(
    app: FastAPI,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    deaf_to_notify: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticket = (await make_ticket(client))["id"]
    _, agent = await make_staff(app, "agent", ("technical_support",))
    assert (await anonymous.get("/api/auth/me", headers=bearer(agent))).status_code == 200
    async with app.state.db.transaction() as session:
        await session.execute(text("UPDATE tickets SET team = 'billing_team'"))

    async def total(headers: dict[str, str] | None = None) -> int:
        with recorded_statements(app) as statements:
            response = await (anonymous if headers else client).get(
                "/api/tickets/stats", headers=headers
            )
        assert response.status_code == 200, response.text
        reads.append(len(statements))
        count: int = response.json()["total_tickets"]
        return count

    reads: list[int] = []
    assert [await total(), await total(), await total(bearer(agent))] == [1, 1, 0]
    assert reads[1] == 0 and reads[2] > 0  # the admin's again: kept; the agent's: their own
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(stats_router, "utcnow", lambda: tomorrow)
    assert await total() == 1 and reads[3] > 0  # another day: its series moved on
    closed = await client.patch(f"/api/tickets/{ticket}", json={"status": "closed"})
    assert closed.status_code == 200
    assert (await client.get("/api/tickets/stats")).json()["status_breakdown"]["closed"] == 1


async def test_sla_views_are_never_kept(
    app: FastAPI, client: httpx.AsyncClient, deaf_to_notify: str
) -> None:
    await make_ticket(client)
    await _reads_of(app, client, sla="breached")
    assert await _reads_of(app, client, sla="breached") > 0  # it moves with the clock


async def test_nothing_is_kept_once_changes_go_unheard(
    app: FastAPI,
    client: httpx.AsyncClient,
    outsider: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticket = (await make_ticket(client, title="Refund please"))["id"]
    await _until_kept(app, client)
    # The listening connection closed (and is back as it was after the test: apps are
    # shared between tests).
    monkeypatch.setattr(BROKER, "_listening_to", BROKER._listening_to)
    BROKER._lost(object())  # another connection, closed on purpose: nothing changes
    assert BROKER.tickets_version(app.state.db.url) is not None
    BROKER._lost(BROKER._listener)
    assert BROKER.tickets_version(app.state.db.url) is None
    await outsider.execute("UPDATE tickets SET title = 'Changed by a script' WHERE id = $1", ticket)
    assert await _titles(client) == ["Changed by a script"]
    assert await _reads_of(app, client) > 0


@pytest.mark.parametrize(
    "statement",
    [
        # No row: still a write statement.
        "INSERT INTO tickets (title) SELECT title FROM tickets WHERE false",
        "UPDATE tickets SET title = 'x'",
        "DELETE FROM tickets",
        "TRUNCATE tickets CASCADE",
    ],
)
async def test_every_kind_of_write_to_tickets_notifies(
    app: FastAPI, client: httpx.AsyncClient, outsider: asyncpg.Connection, statement: str
) -> None:
    await make_ticket(client)
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(psycopg_dsn(app.state.db.url))
    await listener.add_listener(TICKETS_CHANNEL, lambda *args: heard.put_nowait(args[2]))
    try:
        await outsider.execute(statement)
        assert await asyncio.wait_for(heard.get(), timeout=5) == TICKETS_CHANNEL
    finally:
        await listener.close()
