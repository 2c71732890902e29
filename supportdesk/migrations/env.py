"""Alembic environment: async engine, batch mode so SQLite can alter tables too."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from supportdesk.config import get_settings
from supportdesk.db import make_engine
from supportdesk.models import metadata

# On PostgreSQL several processes may start at once; one migrates, the others wait.
MIGRATION_LOCK = 7_412_903


def run_with(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()


async def run_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(run_with)
    await engine.dispose()


asyncio.run(run_online())
