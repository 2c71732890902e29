"""Shared fixtures: every API/DB test runs on SQLite and on the real PostgreSQL.

Each backend gets a fresh database, migrated once with Alembic; tests empty the tables
before they run. Set TEST_BACKENDS=sqlite (or postgresql) to run one backend only.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.app import create_app
from supportdesk.config import JobSettings, Settings, get_settings
from supportdesk.events.broker import BROKER, TICKETS_CHANNEL
from supportdesk.migrate import upgrade
from supportdesk.models import metadata
from tests.factories import bearer, make_staff

BACKENDS = os.environ.get("TEST_BACKENDS", "sqlite,postgresql").split(",")
PG_ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_HOST = PG_ADMIN_DSN.rsplit("/", 1)[0].split("://", 1)[1]
# Every table of the schema, children first, so DELETE on SQLite respects foreign keys.
TABLES = [table.name for table in reversed(metadata.sorted_tables)]
POSTGRES_ONLY = ["procrastinate_jobs", "procrastinate_events", "procrastinate_periodic_defers"]


async def _pg_admin(statement: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url
        return
    name = f"supportdesk_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+asyncpg://{PG_HOST}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # Tests run job functions themselves; tests/jobs starts real runners and workers.
    return Settings(
        database_url=database_url,
        static_dir=Path("/nonexistent"),
        jobs=JobSettings(in_process=False),
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.state.db.engine.begin() as connection:
        if app.state.db.dialect == "postgresql":
            tables = [t for t in TABLES if t != "local_jobs"] + POSTGRES_ONLY
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in TABLES:
                await connection.execute(text(f"DELETE FROM {table}"))
    # Most tests are about what the API does, not who may ask: they ask as an admin.
    _, token = await make_staff(app, "admin")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=bearer(token)
    ) as http:
        yield http


@pytest.fixture
async def anonymous(client: httpx.AsyncClient, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """No credentials, on the same emptied database as `client`."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For CLI commands, which read their settings from the environment: a fresh SQLite file."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
async def deaf_to_notify(app: FastAPI) -> AsyncIterator[str]:
    """The app's database URL, with the tickets' NOTIFY not heard meanwhile: only this
    process's own commits can move the version."""
    if app.state.db.dialect != "postgresql":
        assert BROKER.tickets_version(app.state.db.url) is None  # nothing heard, nothing kept
        pytest.skip("SQLite has no NOTIFY")
    listener = BROKER._listener
    assert listener is not None
    await listener.remove_listener(TICKETS_CHANNEL, BROKER._tickets_heard)
    try:
        yield app.state.db.url
    finally:
        await listener.add_listener(TICKETS_CHANNEL, BROKER._tickets_heard)
