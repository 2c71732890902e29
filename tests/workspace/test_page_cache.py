"""A ticket page is built once per version of what is on it: sent again while nothing on it
changed, built afresh after any write to what it shows, whoever wrote (the API, a job,
another process, a script)."""

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.jobs.registry import JobContext
from supportdesk.kept import KeptAnswers
from supportdesk.workflow.tasks import process_ticket
from supportdesk.workspace import service
from supportdesk.workspace.tasks import fold_page_changes
from tests.conversations.helpers import customer_writes, file_ticket
from tests.factories import recorded_statements


async def page_of(client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    response = await client.get(f"/api/tickets/{ticket}/page")
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def built_afresh(app: FastAPI, client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    """The page as a process that never built it answers it."""
    kept = app.state.ticket_pages
    app.state.ticket_pages = KeptAnswers(kept.max_bytes)
    try:
        return await page_of(client, ticket)
    finally:
        app.state.ticket_pages = kept


async def same_as_afresh(app: FastAPI, client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    page = await page_of(client, ticket)
    assert page == await built_afresh(app, client, ticket)
    return page


@contextmanager
def counting_builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    builds: list[int] = []
    build = service.ticket_page

    async def counted(session: Any, ticket_id: int) -> service.TicketPage:
        builds.append(ticket_id)
        return await build(session, ticket_id)

    monkeypatch.setattr(service, "ticket_page", counted)
    yield builds


async def run_sql(app: FastAPI, statement: str, **values: Any) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(text(statement), values)


async def test_a_page_nothing_changed_on_is_built_once(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket, _ = await file_ticket(anonymous)
    with counting_builds(monkeypatch) as builds:
        first = await client.get(f"/api/tickets/{ticket}/page")
        again = await client.get(f"/api/tickets/{ticket}/page")
        assert builds == [ticket]
        await client.post(f"/api/tickets/{ticket}/messages", json={"kind": "note", "body": "x"})
        await client.get(f"/api/tickets/{ticket}/page")
        assert builds == [ticket, ticket]
    assert again.content == first.content
    assert again.headers["content-type"] == "application/json"


async def test_every_change_through_the_api_is_on_the_next_page(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    t = f"/api/tickets/{ticket}"
    await same_as_afresh(app, client, ticket)

    await client.post(f"{t}/messages", json={"kind": "reply", "body": "Which card?"})
    page = await same_as_afresh(app, client, ticket)
    assert page["thread"]["messages"][-1]["body"] == "Which card?"

    await customer_writes(anonymous, secret, "The Visa one.")
    page = await same_as_afresh(app, client, ticket)
    assert page["thread"]["messages"][-1]["body"] == "The Visa one."

    assert (await client.patch(t, json={"status": "in_progress"})).status_code == 200
    page = await same_as_afresh(app, client, ticket)
    assert page["ticket"]["status"] == "in_progress"
    assert page["history"][-1]["changes"]["status"] == ["open", "in_progress"]

    await process_ticket(JobContext(app.state.settings, app.state.db, app.state.triage), ticket)
    page = await same_as_afresh(app, client, ticket)
    assert page["workflow"]["routing"] is not None

    renamed = await client.patch("/api/auth/me", json={"name": "Renamed Agent"})
    assert renamed.status_code == 200, renamed.text
    page = await same_as_afresh(app, client, ticket)
    assert page["thread"]["messages"][1]["author_name"] == "Renamed Agent"

    other, _ = await file_ticket(anonymous, description="Also: the invoice is wrong.")
    merged = await client.post(f"/api/tickets/{other}/merge", json={"into": ticket})
    assert merged.status_code == 200, merged.text
    page = await same_as_afresh(app, client, ticket)
    assert "Also: the invoice is wrong." in [m["body"] for m in page["thread"]["messages"]]


async def test_a_write_outside_the_api_is_on_the_next_page(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    other, _ = await file_ticket(anonymous, description="A second ticket")
    noted = await client.post(f"/api/tickets/{other}/messages", json={"kind": "note", "body": "x"})
    assert noted.status_code == 201, noted.text
    assert (await client.post(f"/api/tickets/{other}/merge", json={"into": ticket})).is_success
    await page_of(client, ticket)

    await run_sql(
        app, "UPDATE messages SET body = 'Edited by a script' WHERE ticket_id = :t", t=other
    )
    page = await same_as_afresh(app, client, ticket)
    assert "Edited by a script" in [m["body"] for m in page["thread"]["messages"]]

    await run_sql(app, "UPDATE contacts SET name = 'Jo Renamed'")
    page = await same_as_afresh(app, client, ticket)
    assert page["thread"]["contact"]["name"] == "Jo Renamed"

    await run_sql(app, "UPDATE tickets SET title = 'Retitled' WHERE id = :t", t=ticket)
    assert (await same_as_afresh(app, client, ticket))["ticket"]["title"] == "Retitled"

    await run_sql(app, "DELETE FROM audit_events WHERE ticket_id = :t", t=ticket)
    assert (await same_as_afresh(app, client, ticket))["history"] == []


def _on_postgresql(app: FastAPI) -> None:
    if app.state.db.dialect != "postgresql":
        pytest.skip("one writer at a time on SQLite")


AUDIT = (
    "INSERT INTO audit_events (at, actor_kind, action, ticket_id, changes, detail) "
    "VALUES (now(), 'system', 'sla.breached', :t, '{}', 'by a test')"
)


async def test_writers_of_one_ticket_never_wait_on_each_other_for_its_page(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    """What deadlocked a counter row per ticket: one transaction writes the ticket's
    history, then its row; another its row, then its history."""
    _on_postgresql(app)
    ticket, _ = await file_ticket(anonymous)
    engine = app.state.db.engine
    async with engine.connect() as sweep, engine.connect() as patch:
        await sweep.begin()
        await sweep.execute(text(AUDIT), {"t": ticket})
        await patch.begin()
        title = "UPDATE tickets SET title = :title WHERE id = :t"
        await asyncio.wait_for(patch.execute(text(title), {"title": "Patched", "t": ticket}), 5)
        await asyncio.wait_for(patch.execute(text(AUDIT), {"t": ticket}), 5)
        await asyncio.wait_for(patch.commit(), 5)
        await sweep.execute(text(title), {"title": "Swept", "t": ticket})
        await sweep.commit()


async def test_a_change_committed_after_a_later_one_is_on_the_next_page(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    _on_postgresql(app)
    ticket, _ = await file_ticket(anonymous)
    t = f"/api/tickets/{ticket}"
    await client.post(f"{t}/messages", json={"kind": "note", "body": "First"})
    async with app.state.db.engine.connect() as early:
        await early.begin()
        edit = "UPDATE messages SET body = 'Edited early' WHERE ticket_id = :t"
        await early.execute(text(edit), {"t": ticket})  # its change row has the earlier time
        await client.post(f"{t}/messages", json={"kind": "note", "body": "Second"})
        assert "Edited early" not in [
            m["body"] for m in (await page_of(client, ticket))["thread"]["messages"]
        ]
        await early.commit()
    page = await same_as_afresh(app, client, ticket)
    assert "Edited early" in [m["body"] for m in page["thread"]["messages"]]


async def test_a_ticket_s_many_changes_fold_into_one_that_moves_its_page(
    app: FastAPI,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy, _ = await file_ticket(anonymous)
    quiet, _ = await file_ticket(anonymous)
    for n in range(service.KEEP_CHANGES):
        await client.post(f"/api/tickets/{busy}/messages", json={"kind": "note", "body": f"{n}"})
    count = "SELECT count(*) FROM ticket_page_changes WHERE ticket_id = :t"
    async with app.state.db.transaction() as session:
        quiet_rows = (await session.execute(text(count), {"t": quiet})).scalar_one()
        assert (await session.execute(text(count), {"t": busy})).scalar_one() > service.KEEP_CHANGES
    with counting_builds(monkeypatch) as builds:
        before = await page_of(client, busy)
        await fold_page_changes(JobContext(app.state.settings, app.state.db, app.state.triage))
        async with app.state.db.transaction() as session:
            assert (await session.execute(text(count), {"t": busy})).scalar_one() == 1
            assert (await session.execute(text(count), {"t": quiet})).scalar_one() == quiet_rows
        assert await page_of(client, busy) == before
        assert builds == [busy, busy]  # a new version: built once more, then kept
        await page_of(client, busy)
        assert builds == [busy, busy]
    await client.post(f"/api/tickets/{busy}/messages", json={"kind": "note", "body": "After"})
    page = await same_as_afresh(app, client, busy)
    assert page["thread"]["messages"][-1]["body"] == "After"


ALL_EVENTS = {"insert", "update", "delete"}


def _page_trigger_events(rows: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Table: the events its page triggers fire on (named `<table>_page_<event>`)."""
    events: dict[str, set[str]] = {}
    for name, table in rows:
        if name.startswith(f"{table}_page_"):
            events.setdefault(table, set()).add(name.removeprefix(f"{table}_page_"))
    return events


async def test_every_table_the_page_reads_has_a_trigger(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    await client.post(f"/api/tickets/{ticket}/messages", json={"kind": "reply", "body": "Hi"})
    with recorded_statements(app) as statements:
        await built_afresh(app, client, ticket)
    read = {
        table
        for statement, _ in statements
        for table in re.findall(r"(?:FROM|JOIN) (\w+)", statement)
    }
    async with app.state.db.read_sessions() as session:
        if app.state.db.dialect == "postgresql":
            found = "SELECT tgname, tgrelid::regclass::text FROM pg_trigger"
        else:
            found = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"
        rows = [(name, table) for name, table in await session.execute(text(found))]
    # The sign-in's token and the changes themselves are read, and need no trigger.
    assert {"messages", "audit_events", "tickets", "contacts"} <= read
    events = _page_trigger_events(rows)
    for table in read - {"ticket_page_changes", "api_tokens"}:
        # A new person is on no page yet; any row of the others may be.
        needed = {"update", "delete"} if table in {"users", "contacts"} else ALL_EVENTS
        assert needed <= events.get(table, set()), table


def _scans_of(plan: dict[str, Any], table: str) -> list[dict[str, Any]]:
    found = [plan] if plan.get("Relation Name") == table else []
    return found + [n for child in plan.get("Plans", []) for n in _scans_of(child, table)]


async def test_the_versions_are_read_by_key_not_by_reading_them_all(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    if app.state.db.dialect != "postgresql":
        pytest.skip("a plan of PostgreSQL's")
    ticket, _ = await file_ticket(anonymous)
    with recorded_statements(app) as statements:
        await page_of(client, ticket)
    read, values = next((s, v) for s, v in statements if "FROM ticket_page_changes" in s)
    async with app.state.db.engine.connect() as connection:
        await connection.exec_driver_sql("SET enable_seqscan = off")  # a few rows here
        explained = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {read}", values)
        plan = explained.scalar_one()[0]["Plan"]
    scans = _scans_of(plan, "ticket_page_changes")
    # A bitmap scan is an index's by nature; an index scan with no condition reads it all.
    by_key = [s["Node Type"] == "Bitmap Heap Scan" or "Index Cond" in s for s in scans]
    assert by_key and all(by_key), plan
