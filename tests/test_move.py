"""`supportdesk move-data`: a populated SQLite install moved to a fresh PostgreSQL database
serves the same answers (same ids, threads, search results); an interrupted move resumes
to the same end; a target holding rows or at another revision is refused untouched."""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk import move
from supportdesk.app import create_app
from supportdesk.config import JobSettings, Settings
from supportdesk.db import Database
from supportdesk.migrate import upgrade
from tests.conftest import PG_HOST, _pg_admin
from tests.conversations.helpers import file_ticket
from tests.factories import bearer, make_staff, make_ticket
from tests.inbox.conftest import corpus, deliver

pytestmark = pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_BACKENDS", "sqlite,postgresql"),
    reason="moves to PostgreSQL",
)


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url, static_dir=Path("/nonexistent"), jobs=JobSettings(in_process=False)
    )


@asynccontextmanager
async def _serving(url: str) -> AsyncIterator[FastAPI]:
    app = create_app(_settings(url))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A SQLite install used for a while: tickets, a merge into a newer ticket, a
    customer's conversation, an email with attachments, staff and their audit trail."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('install') / 'supportdesk.db'}"
    upgrade(url)

    async def populate() -> str:
        async with _serving(url) as app:
            _, token = await make_staff(app, "admin")
            transport = httpx.ASGITransport(app=app)
            async with (
                httpx.AsyncClient(
                    transport=transport, base_url="http://t", headers=bearer(token)
                ) as staff,
                httpx.AsyncClient(transport=transport, base_url="http://t") as anonymous,
            ):
                older = (await make_ticket(staff, title="Refund twice"))["id"]
                for n in range(30):
                    await make_ticket(staff, title=f"Export broken {n}", category="technical")
                newer = (await make_ticket(staff, title="Refund request"))["id"]
                merged = await staff.post(f"/api/tickets/{older}/merge", json={"into": newer})
                assert merged.status_code == 200, merged.text
                customer_ticket, _ = await file_ticket(anonymous)
                for kind in ("reply", "note"):
                    body = {"kind": kind, "body": f"A {kind} to the customer."}
                    sent = await staff.post(f"/api/tickets/{customer_ticket}/messages", json=body)
                    assert sent.status_code == 201, sent.text
            await deliver(app, corpus("attachments_and_inline_image.eml"))
            return token

    return url, asyncio.run(populate())


@pytest.fixture
def target() -> Iterator[str]:
    name = f"supportdesk_move_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+asyncpg://{PG_HOST}/{name}"
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _move(source: str, target: str, *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "supportdesk.cli", "move-data", "--to", target, *more],
        env={**os.environ, "DATABASE_URL": source},
        capture_output=True,
        text=True,
        timeout=300,
    )


PATHS = [
    "/api/tickets?page_size=100",
    "/api/tickets?search=refund",
    "/api/tickets?search=export&ordering=id&page_size=5",
    "/api/tickets/stats",
    "/api/users",
    "/api/audit",
]


async def _answers(url: str, token: str) -> dict[str, Any]:
    async with _serving(url) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers=bearer(token)
        ) as http:
            answers = {path: (await http.get(path)).json() for path in PATHS}
            ids = [t["id"] for t in answers[PATHS[0]]["results"]]
            for ticket in ids[:6]:
                for part in ("page", "messages", "history", "merged"):
                    response = await http.get(f"/api/tickets/{ticket}/{part}")
                    answers[f"{ticket}/{part}"] = (response.status_code, response.json())
            return answers


def _without_volatile(answers: dict[str, Any]) -> dict[str, Any]:
    """What a second process may word differently: the stats' moment of reading."""
    for key in ("generated_at",):
        answers.get("/api/tickets/stats", {}).pop(key, None)
    return answers


def test_a_moved_install_answers_as_before(source: tuple[str, str], target: str) -> None:
    url, token = source
    done = _move(url, target)
    assert done.returncode == 0, done.stderr
    assert "counts and checksums match" in done.stdout
    before = asyncio.run(_answers(url, token))
    after = asyncio.run(_answers(target, token))
    assert _without_volatile(after) == _without_volatile(before)

    # A new ticket on the target takes the next id, past every moved one.
    async def next_id() -> int:
        async with _serving(target) as app:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://t", headers=bearer(token)
            ) as http:
                return int((await make_ticket(http))["id"])

    biggest = max(t["id"] for t in before[PATHS[0]]["results"])
    assert asyncio.run(next_id()) == biggest + 1


def test_an_interrupted_move_resumes_to_the_same_end(source: tuple[str, str], target: str) -> None:
    url, _ = source

    async def half_a_move() -> None:
        source_db, target_db = Database(url), Database(target)
        try:
            await move.check(source_db, target_db, target, resume=False)
            everything = move.tables()
            for table in everything[: len(everything) // 2]:
                await move.copy_table(source_db, target_db, table, lambda n: None)
            tickets = next(t for t in everything if t.name == "tickets")
            copied = 0

            def stop_after_one_batch(n: int) -> None:
                nonlocal copied
                copied += n
                raise KeyboardInterrupt  # as a Ctrl-C after the first batch was committed

            move.BATCH = 10  # type: ignore[misc]
            with pytest.raises(KeyboardInterrupt):
                await move.copy_table(source_db, target_db, tickets, stop_after_one_batch)
            assert copied == 10
        finally:
            move.BATCH = 2_000  # type: ignore[misc]
            await source_db.dispose()
            await target_db.dispose()

    asyncio.run(half_a_move())
    refused = _move(url, target)
    assert refused.returncode != 0 and "--resume" in refused.stderr
    resumed = _move(url, target, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "counts and checksums match" in resumed.stdout


def test_a_target_at_another_revision_is_refused_untouched(
    source: tuple[str, str], target: str
) -> None:
    upgrade(target, "0021")
    refused = _move(source[0], target)
    assert refused.returncode != 0 and "the target is at migration 0021" in refused.stderr

    async def tickets() -> int:
        database = Database(target)
        try:
            async with database.engine.connect() as connection:
                return int(await connection.scalar(text("SELECT count(*) FROM tickets")) or 0)
        finally:
            await database.dispose()

    assert asyncio.run(tickets()) == 0
