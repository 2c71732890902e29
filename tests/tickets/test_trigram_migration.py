"""Migration 0009: trigram indexes beside the word index, on both backends, added without
copying the tickets table and removed again."""

import asyncio
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import asyncpg
from alembic import command

from supportdesk.migrate import alembic_config, upgrade
from tests.conftest import PG_ADMIN_DSN, PG_HOST, _pg_admin
from tests.sqlite_schema import MigratedFile

TRIGRAM_INDEXES = {"ix_tickets_title_trgm", "ix_tickets_description_trgm"}


def test_sqlite_trigram_table_comes_filled_and_goes(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    before = database.upgrade("0008")
    with closing(sqlite3.connect(database.path)) as connection, connection:
        connection.execute(
            "INSERT INTO tickets (title, description, category, priority, status, created_at,"
            " updated_at, category_source, priority_source, needs_review)"
            " VALUES ('Refund', 'Order ORD-44718', 'billing', 'low', 'open',"
            " '2026-12-01', '2026-12-01', 'user', 'user', 0)"
        )

    after = database.upgrade("0009")
    assert after.ticket_columns == before.ticket_columns
    assert before.triggers < after.triggers  # the table was not copied: 0001's triggers stay
    with closing(sqlite3.connect(database.path)) as connection:
        query = "SELECT rowid FROM tickets_trigram WHERE tickets_trigram MATCH '\"ord-4471\"'"
        assert connection.execute(query).fetchall() == [(1,)]  # tickets already there

    assert database.downgrade("0008") == before


async def _indexes(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'tickets'"
        )
        return {row["indexname"] for row in rows}
    finally:
        await connection.close()


def test_postgres_trigram_indexes_come_and_go() -> None:
    name = f"supportdesk_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    plain = PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"
    url = f"postgresql+asyncpg://{PG_HOST}/{name}"
    try:
        upgrade(url, "0008")
        before = asyncio.run(_indexes(plain))
        upgrade(url, "0009")
        assert asyncio.run(_indexes(plain)) == before | TRIGRAM_INDEXES
        command.downgrade(alembic_config(url), "0008")
        assert asyncio.run(_indexes(plain)) == before
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
