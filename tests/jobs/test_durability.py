"""kill -9 in the middle of work loses nothing and leaves no double effects.

Real processes: `supportdesk worker` on PostgreSQL (two of them, one killed), and
`supportdesk serve` with its in-process runner on SQLite (killed, then restarted).
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from supportdesk.migrate import upgrade
from tests.conftest import PG_HOST, _pg_admin

TICKETS = 60
DEADLINE_SECONDS = 120


def spawn(command: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "supportdesk.cli", *command.split()],
        # Open access: these tests are about jobs surviving kills, not about who asks.
        env={**os.environ, "AUTH_OPEN_ACCESS": "true", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_for(check: Callable[[], "asyncio.Future[bool] | object"], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if await check():  # type: ignore[misc]
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def scalar(url: str, sql: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(sql))).scalar_one())
    finally:
        await engine.dispose()


def create_tickets(env: dict[str, str], port: int) -> list[int]:
    """Through the real API (not in-process: the server enqueues the workflow jobs)."""
    server = spawn("serve", {**env, "PORT": str(port), "JOBS_IN_PROCESS": "false"})
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            return [
                client.post(
                    "/api/tickets/",
                    json={
                        "title": f"Order ORD-{i:05d} charged twice",
                        "description": f"Charged $19.99 twice for ORD-{i:05d}; +1 415 555 0100",
                        "category": "billing",
                        "priority": "medium",
                    },
                ).json()["id"]
                for i in range(TICKETS)
            ]
    finally:
        server.terminate()
        server.wait(timeout=20)


def wait_until_up(base: str) -> None:
    """Until a server started in another process answers /healthz (a minute and a half)."""
    for _ in range(900):
        try:
            if httpx.get(f"{base}/healthz").is_success:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not start")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    if "postgresql" not in os.environ.get("TEST_BACKENDS", "sqlite,postgresql"):
        pytest.skip("PostgreSQL backend not selected")
    name = f"supportdesk_jobs_{uuid.uuid4().hex[:8]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://{PG_HOST}/{name}"
    await asyncio.to_thread(upgrade, url)
    yield url
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


PROCESSED = "SELECT count(*) FROM ticket_routing"
FACT_ROWS = "SELECT count(*) FROM ticket_facts"


async def test_killed_worker_loses_nothing_on_postgresql(postgres_url: str) -> None:
    env = {"DATABASE_URL": postgres_url, "JOBS_STALLED_SECONDS": "3", "JOBS_CONCURRENCY": "2"}
    await asyncio.to_thread(create_tickets, env, free_port())
    first = spawn("worker", env)
    doing = "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'"
    await wait_for(lambda: scalar(postgres_url, doing), "a job in progress")
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_at_kill = await scalar(postgres_url, PROCESSED)
    assert done_at_kill < TICKETS, "the worker finished before it was killed"

    second = spawn("worker", env)
    try:
        succeeded = (
            "SELECT count(*) = {n} FROM procrastinate_jobs "
            "WHERE status = 'succeeded' AND task_name NOT LIKE 'periodic:%'"
        )
        jobs = await scalar(
            postgres_url,
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name NOT LIKE 'periodic:%'",
        )
        await wait_for(
            lambda: scalar(postgres_url, succeeded.format(n=jobs)), "every job to succeed"
        )
    finally:
        second.terminate()
        second.wait(timeout=20)
    assert await scalar(postgres_url, PROCESSED) == TICKETS
    assert await scalar(postgres_url, FACT_ROWS) == TICKETS


async def test_killed_server_resumes_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}"
    env = {"DATABASE_URL": url, "JOBS_CONCURRENCY": "1"}
    await asyncio.to_thread(create_tickets, env, free_port())
    pending = "SELECT count(*) FROM local_jobs WHERE status IN ('todo', 'doing')"
    jobs = await scalar(url, pending)
    server = spawn("serve", {**env, "PORT": str(free_port())})
    await wait_for(
        lambda: scalar(url, "SELECT count(*) > 0 FROM local_jobs WHERE status = 'doing'"),
        "a job in progress",
    )
    server.send_signal(signal.SIGKILL)
    server.wait()
    assert await scalar(url, pending) > 0, "the server finished before it was killed"

    server = spawn("serve", {**env, "PORT": str(free_port())})
    try:
        await wait_for(
            lambda: scalar(url, "SELECT count(*) = 0 FROM local_jobs WHERE status != 'succeeded'"),
            "every job to succeed",
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert await scalar(url, "SELECT count(*) FROM local_jobs") == jobs
    assert await scalar(url, PROCESSED) == TICKETS
    assert await scalar(url, FACT_ROWS) == TICKETS
