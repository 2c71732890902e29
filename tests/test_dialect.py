"""The one helper for what differs between PostgreSQL and SQLite, on both."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from supportdesk.db import Database
from supportdesk.dialect import is_postgresql, upsert

PROBE = Table(
    "dialect_probe",
    MetaData(),
    Column("key", Integer, primary_key=True),
    Column("count", Integer),
    Column("label", String(16)),
)


@pytest.fixture
async def database(app: FastAPI) -> AsyncIterator[Database]:
    database: Database = app.state.db
    async with database.engine.begin() as connection:
        await connection.run_sync(PROBE.create)
    yield database
    async with database.engine.begin() as connection:
        await connection.run_sync(PROBE.drop)


async def test_is_postgresql_follows_the_url(database: Database) -> None:
    expected = database.url.startswith("postgresql")
    async with database.transaction() as session:
        assert is_postgresql(session) is expected
    assert is_postgresql(database) is expected


async def test_upsert_inserts_then_replaces_and_adds(database: Database) -> None:
    async with database.transaction() as session:
        statement = upsert(session, PROBE, key=["key"], replace=["label"], add=["count"])
        await session.execute(statement, [{"key": 1, "count": 2, "label": "a"}])
        await session.execute(statement, [{"key": 1, "count": 3, "label": "b"}])
        await session.execute(statement, [{"key": 2, "count": 1, "label": "c"}])
    async with database.transaction() as session:
        rows = (await session.execute(select(PROBE).order_by(PROBE.c.key))).all()
    assert [tuple(row) for row in rows] == [(1, 5, "b"), (2, 1, "c")]


async def test_upsert_updates_only_where_the_condition_holds(database: Database) -> None:
    async with database.transaction() as session:
        keep = upsert(session, PROBE, key=["key"], replace=["label"], where=PROBE.c.label != "x")
        await session.execute(keep, [{"key": 1, "count": 0, "label": "x"}])
        await session.execute(keep, [{"key": 1, "count": 0, "label": "y"}])
    async with database.transaction() as session:
        assert await session.scalar(select(PROBE.c.label)) == "x"
