"""Engine, sessions and the declarative base.

One session per request: the request commits on success and rolls back on any error,
so services never commit and a failed request never leaves a partial write.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Delete, MetaData, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while a writer commits; busy_timeout waits instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    # No pre-ping: it costs a round trip on every request; recycle stale connections instead.
    # At least as many pooled connections as concurrent requests a process serves, so
    # connections are reused rather than opened and closed under load.
    return create_async_engine(url, pool_size=20, max_overflow=10, pool_recycle=1800)


class Database:
    """The engine and session factory of one process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL: the same pool without transactions, so no BEGIN and COMMIT round trips
        # around reads. SQLite has no round trips to save, and switching the isolation
        # level costs a hop to the driver's thread on every checkout and return.
        self.read_sessions = (
            self.sessions
            if self.dialect == "sqlite"
            else async_sessionmaker(
                self.engine.execution_options(isolation_level="AUTOCOMMIT"),
                expire_on_commit=False,
            )
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """`async with database.transaction() as session:` commits on leaving the block,
        rolls back on any exception."""
        async with self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def session(self) -> AsyncIterator[AsyncSession]:
        """The same, as a FastAPI dependency."""
        async with self.transaction() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


async def delete_all(session: AsyncSession, statements: list[Delete]) -> int:
    """Run these DELETEs (housekeeping); how many rows went in all."""
    removed = 0
    for statement in statements:
        result = await session.execute(statement)
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
