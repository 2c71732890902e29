"""Two API processes and two workers on one PostgreSQL behave as one process would:
sessions, sign-in limits, live events and jobs are the database's, not a process's."""

import asyncio
import json
import os
import subprocess
import sys
import time

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from supportdesk.auth.access import CSRF_COOKIE, CSRF_HEADER
from tests.jobs.test_durability import free_port, postgres_url, wait_until_up  # noqa: F401  (a fixture)

PASSWORD = "a long enough password"
CACHE_SECONDS = 1.0  # AUTH_CREDENTIAL_CACHE_SECONDS: how stale another process may be


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "supportdesk.cli", *command],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "supportdesk.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _until_refused(http: httpx.Client) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 10:
        if http.get("/api/auth/me").status_code == 401:
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError("the session still works on the other process")


async def _jobs_run_twice(url: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            twice = await connection.execute(
                text(
                    "SELECT job_id, count(*) FROM procrastinate_events WHERE type = 'started' "
                    "GROUP BY 1 HAVING count(*) > 1"
                )
            )
            return [tuple(row) for row in twice]
    finally:
        await engine.dispose()


async def _routed(url: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(text("SELECT count(*) FROM ticket_routing")) or 0)
    finally:
        await engine.dispose()


async def test_two_apis_and_two_workers_share_one_database(postgres_url: str) -> None:  # noqa: F811
    await asyncio.to_thread(_two_and_two, postgres_url)


def _two_and_two(postgres_url: str) -> None:  # noqa: F811
    """Real HTTP against real processes, blocking: run in a thread of the test's loop."""
    env = {
        "DATABASE_URL": postgres_url,
        "AUTH_OPEN_ACCESS": "false",
        "AUTH_CREDENTIAL_CACHE_SECONDS": str(CACHE_SECONDS),
        "JOBS_IN_PROCESS": "false",  # the two workers do the background work
    }
    invitation = _cli(env, "users", "create-admin", "--email", "ops@example.com")
    secret = invitation.split("#invite=")[1].split()[0]
    token = _cli(env, "users", "token", "--email", "ops@example.com").strip()
    ports = [free_port(), free_port()]
    processes = [_start(["serve"], {**env, "PORT": str(port)}) for port in ports]
    processes += [_start(["worker"], env) for _ in range(2)]
    one, two = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        wait_until_up(one)
        wait_until_up(two)
        assert httpx.post(f"{one}/api/auth/links/{secret}", json={"password": PASSWORD}).is_success

        # A session made by one process is the other's too; signing out on either ends it.
        with httpx.Client(base_url=one) as first, httpx.Client(base_url=two) as second:
            signed = first.post(
                "/api/auth/sign-in", json={"email": "ops@example.com", "password": PASSWORD}
            )
            assert signed.status_code == 200, signed.text
            second.cookies = first.cookies
            assert second.get("/api/auth/me").json()["user"]["email"] == "ops@example.com"
            out = second.post(
                "/api/auth/sign-out", headers={CSRF_HEADER: first.cookies[CSRF_COOKIE]}
            )
            assert out.status_code == 204
            assert _until_refused(first) <= CACHE_SECONDS + 0.5

        # Live events: a ticket made through one process reaches a stream on the other.
        staff = {"Authorization": f"Bearer {token}"}
        with (
            httpx.Client(base_url=two, headers=staff, timeout=15) as watcher,
            watcher.stream("GET", "/api/events") as stream,
        ):
            made = httpx.post(
                f"{one}/api/tickets",
                json={"title": "Printer jams", "description": "Every page."},
                headers=staff,
            ).json()["id"]
            seen, deadline = None, time.monotonic() + 15
            for line in stream.iter_lines():
                assert time.monotonic() < deadline, "the event did not reach the other process"
                if line.startswith("data: "):
                    event = json.loads(line.removeprefix("data: "))
                    if event.get("type") == "ticket.created" and event.get("id") == made:
                        seen = event
                        break
            assert seen is not None

        # Jobs: tickets made through both processes are each worked on once, by a worker.
        for n in range(10):
            base = (one, two)[n % 2]
            body = {"title": f"Refund {n}", "description": "Charged twice for my plan."}
            assert httpx.post(f"{base}/api/tickets", json=body, headers=staff).status_code == 201
        deadline = time.monotonic() + 90
        while asyncio.run(_routed(postgres_url)) < 11 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert asyncio.run(_routed(postgres_url)) == 11
        assert asyncio.run(_jobs_run_twice(postgres_url)) == []

        # Failed sign-ins count together, whichever process heard them.
        for n in range(5):
            wrong = httpx.post(
                f"{(one, two)[n % 2]}/api/auth/sign-in",
                json={"email": "ops@example.com", "password": "not it at all"},
            )
            assert wrong.status_code == 401
        locked = httpx.post(
            f"{two}/api/auth/sign-in", json={"email": "ops@example.com", "password": PASSWORD}
        )
        assert locked.status_code == 429
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
