"""`supportdesk seed`: demo tickets, with the local model's suggestions when asked."""

import asyncio
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from supportdesk.cli import app
from supportdesk.db import Database
from tests.conftest import BACKENDS, PG_HOST, _pg_admin
from tests.factories import run_cli


def stored(columns: str) -> list[tuple[object, ...]]:
    path = os.environ["DATABASE_URL"].split(":///", 1)[1]
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT {columns} FROM tickets ORDER BY id").fetchall()


def test_seed_with_ai_stores_what_triage_suggested(sqlite_env: None) -> None:
    result = CliRunner().invoke(app, ["seed", "--count", "40", "--ai", "--no-workflow"])
    assert result.exit_code == 0, result.output

    rows = stored("category, priority, ai_category, ai_priority, category_source, ai_provider")
    assert len(rows) == 40
    assert all(provider and str(provider).startswith("local:") for *_, provider in rows)
    for category, _, ai_category, _, source, _ in rows:
        assert source == ("ai" if ai_category == category else "user")
    # The model agrees with most demo labels (the acceptance figures are real ones).
    agreed = sum(category == ai_category for category, _, ai_category, *_ in rows)
    assert 20 <= agreed <= 40


def test_seed_without_ai_leaves_the_suggestion_empty(sqlite_env: None) -> None:
    result = CliRunner().invoke(app, ["seed", "--count", "5", "--no-workflow"])
    assert result.exit_code == 0, result.output
    assert stored("ai_category, ai_provider") == [(None, None)] * 5


SEED = ("seed", "--count", "250", "--batch", "100", "--threads", "0.2", "--routed")


Rows = list[tuple[object, ...]]
PER_TICKET = "SELECT ticket_id, count(*) FROM {} GROUP BY ticket_id ORDER BY ticket_id"


async def _seeded(url: str) -> tuple[Rows, Rows, Rows]:
    database = Database(url)
    try:
        async with database.read_sessions() as session:
            tickets = "SELECT id, title, category, team, sla_breached FROM tickets ORDER BY id"
            found = [
                [tuple(row) for row in await session.execute(text(query))]
                for query in (
                    tickets,
                    PER_TICKET.format("messages"),
                    PER_TICKET.format("sla_outcomes"),
                )
            ]
    finally:
        await database.dispose()
    return found[0], found[1], found[2]


def test_a_bulk_seed_on_postgresql_loads_what_a_seed_batch_by_batch_does(
    tmp_path: Path,
) -> None:
    """On PostgreSQL into an empty table the batches are made in a process of their own
    while the last loads; on SQLite one after the other: the same tickets either way."""
    if "postgresql" not in BACKENDS:
        pytest.skip("TEST_BACKENDS leaves PostgreSQL out")
    sqlite = f"sqlite+aiosqlite:///{tmp_path / 'seed.db'}"
    name = f"supportdesk_seed_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    postgresql = f"postgresql+asyncpg://{PG_HOST}/{name}"
    try:
        for url in (sqlite, postgresql):
            result = run_cli(*SEED, "--no-workflow", url=url)
            assert result.returncode == 0, result.stderr
        by_batch, bulk = asyncio.run(_seeded(sqlite)), asyncio.run(_seeded(postgresql))
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    tickets, messages, outcomes = bulk
    # The same messages and SLA outcomes on the same tickets, ticket by ticket.
    assert len(tickets) == 250 and messages and len(outcomes) == 250
    assert bulk == by_batch
