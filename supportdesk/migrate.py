"""Apply Alembic migrations programmatically (at start-up and in tests)."""

import asyncio
import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Blocking: env.py runs its own event loop, so call this outside a running loop."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str) -> None:
    await asyncio.to_thread(upgrade, url)


@functools.cache  # read from the migration files once: /readyz asks on every call
def head_revision() -> str:
    """The migration revision this version's schema is at."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, f"no migrations in {MIGRATIONS}"
    return head


async def current_revision(connection: AsyncConnection) -> str | None:
    """The revision a database is at; None for one never migrated."""
    try:
        found = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except (OperationalError, ProgrammingError):  # no such table (SQLite, PostgreSQL)
        await connection.rollback()
        return None
    return str(found) if found is not None else None
