"""Shared column types, on both backends."""

from datetime import UTC, datetime, timedelta, timezone

from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from supportdesk.db import Database
from supportdesk.types import UTCDateTime

STAMPS = Table(
    "types_probe", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
)


async def test_utc_datetimes_read_back_aware_in_utc(app: FastAPI) -> None:
    # On PostgreSQL the type leaves values as asyncpg reads them (it converts nothing, for
    # speed): they must be UTC even when the connection's time zone is not.
    database: Database = app.state.db
    written = datetime(2026, 3, 29, 1, 30, 15, 250, tzinfo=timezone(timedelta(hours=-5)))
    async with database.engine.begin() as connection:
        await connection.run_sync(STAMPS.create)
        try:
            if database.dialect == "postgresql":
                await connection.exec_driver_sql("SET LOCAL TIME ZONE 'America/New_York'")
            await connection.execute(insert(STAMPS).values(id=1, at=written))
            read = (await connection.execute(select(STAMPS.c.at))).scalar_one()
        finally:
            await connection.run_sync(STAMPS.drop)
    assert read == written
    assert read.tzinfo == UTC
    assert read.isoformat() == "2026-03-29T06:30:15.000250+00:00"
