"""A ticket page is built once per version of what is on it: sent again while nothing on it
changed, built afresh after any write to what it shows, whoever wrote (the API, a job,
another process, a script)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text

from supportdesk.jobs.registry import JobContext
from supportdesk.workflow.tasks import process_ticket
from supportdesk.workspace import service
from supportdesk.workspace.service import BuiltPages
from tests.conversations.helpers import customer_writes, file_ticket


async def page_of(client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    response = await client.get(f"/api/tickets/{ticket}/page")
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def built_afresh(app: FastAPI, client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    """The page as a process that never built it answers it."""
    kept = app.state.ticket_pages
    app.state.ticket_pages = BuiltPages(kept.max_bytes)
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


def _version_triggers(rows: list[tuple[str, str]]) -> set[str]:
    return {table for name, table in rows if "_version_" in name}


async def test_every_table_the_page_reads_moves_its_version(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    await client.post(f"/api/tickets/{ticket}/messages", json={"kind": "reply", "body": "Hi"})
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        await built_afresh(app, client, ticket)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    read = {
        table for statement in statements for table in re.findall(r"(?:FROM|JOIN) (\w+)", statement)
    }
    async with app.state.db.read_sessions() as session:
        if app.state.db.dialect == "postgresql":
            found = "SELECT tgname, tgrelid::regclass::text FROM pg_trigger"
        else:
            found = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"
        rows = [(name, table) for name, table in await session.execute(text(found))]
    # users (the sign-in) and ticket_versions itself are read, and need no version.
    assert {"messages", "audit_events", "tickets", "contacts"} <= read
    assert read - {"ticket_versions", "api_tokens"} <= _version_triggers(rows)


def test_built_pages_let_the_least_recently_sent_go_past_their_size() -> None:
    pages = BuiltPages(max_bytes=10)
    pages.put(1, ((1, 5),), b"aaaa")
    pages.put(2, ((2, 5),), b"bbbb")
    assert pages.get(1, ((1, 5),)) == b"aaaa"  # now the most recent
    pages.put(3, ((3, 5),), b"cccc")
    assert pages.get(2, ((2, 5),)) is None
    assert pages.get(1, ((1, 5),)) == b"aaaa"
    assert pages.get(1, ((1, 6),)) is None  # another version
    pages.put(4, ((4, 1),), b"x" * 11)  # larger than all: never kept
    assert pages.get(4, ((4, 1),)) is None
    assert pages.get(3, ((3, 5),)) == b"cccc"
