"""`/metrics` (what the processes measured and what the database knows), request ids on
every response, and `/readyz`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.migrate import head_revision
from tests.factories import bearer, make_staff, make_ticket
from tests.jobs.test_durability import free_port, wait_until_up


def _value(page: str, name: str, **labels: str) -> float:
    """One sample of the scrape (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in page.splitlines():
        if line.startswith("#"):
            continue
        sample, _, value = line.rpartition(" ")
        metric, _, inside = sample.partition("{")
        found = ",".join(sorted(inside.rstrip("}").split(","))) if inside else ""
        if metric == name and found == wanted:
            return float(value)
    return 0.0


async def test_requests_are_counted_per_route_template_never_per_id(
    client: httpx.AsyncClient,
) -> None:
    ticket = (await make_ticket(client))["id"]
    before = (await client.get("/metrics")).text
    for _ in range(3):
        assert (await client.get(f"/api/tickets/{ticket}")).status_code == 200
    assert (await client.get("/api/tickets/999999")).status_code == 404
    after = (await client.get("/metrics")).text
    route = {"method": "GET", "route": "/api/tickets/{ticket_id:int}"}
    counted = "supportdesk_http_requests_total"
    grew = _value(after, counted, **route, status="200") - _value(
        before, counted, **route, status="200"
    )
    assert grew == 3
    assert (
        _value(after, counted, **route, status="404")
        - _value(before, counted, **route, status="404")
        == 1
    )
    assert f"/api/tickets/{ticket}" not in after
    assert _value(after, "supportdesk_http_request_duration_seconds_count", **route) >= 4


async def test_what_the_database_knows_is_read_at_scrape_time(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await make_ticket(client, category=None, priority=None)  # triaged, its jobs queued
    page = (await client.get("/metrics")).text
    assert _value(page, "supportdesk_jobs_waiting", task="workflow.process_ticket") >= 1
    assert _value(page, "supportdesk_jobs_lag_seconds", task="workflow.process_ticket") >= 0
    assert _value(page, "supportdesk_triage_seconds_count", provider="local") >= 1
    async with app.state.db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO sla_events (ticket_id, target, kind, due_at, at) "
                "SELECT id, 'first_response', 'breached', created_at, created_at FROM tickets"
            )
        )
    page = (await client.get("/metrics")).text
    assert _value(page, "supportdesk_sla_breaches_total", target="first_response") == 1


async def test_metrics_are_for_admins(app: FastAPI, anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/metrics")).status_code == 401
    _, agent = await make_staff(app, "agent")
    assert (await anonymous.get("/metrics", headers=bearer(agent))).status_code == 403


async def test_every_response_carries_a_request_id(anonymous: httpx.AsyncClient) -> None:
    made = (await anonymous.get("/healthz")).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    kept = await anonymous.get("/api/tickets", headers={"X-Request-ID": "lb-7f3a.2"})
    assert kept.status_code == 401 and kept.headers["x-request-id"] == "lb-7f3a.2"
    forged = await anonymous.get("/healthz", headers={"X-Request-ID": "a b\r\nInjected: 1"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["x-request-id"])


async def test_ready_until_the_schema_falls_behind(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ready = await anonymous.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "model": "ok", "jobs": "ok"},
    }
    async with app.state.db.transaction() as session:
        await session.execute(text("UPDATE alembic_version SET version_num = '0021'"))
    try:
        behind = await anonymous.get("/readyz")
        assert behind.status_code == 503
        assert (
            behind.json()["checks"]["migrations"]
            == f"at 0021, this version needs {head_revision()}"
        )
    finally:
        async with app.state.db.transaction() as session:
            await session.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()}
            )


def _cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "supportdesk.cli", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_two_api_processes_are_scraped_as_one(tmp_path: Path) -> None:
    """uvicorn's two workers answer in turn, each writing its own measurements; a scrape
    of either sums them both."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'metrics.db'}"
    _cli(url, "migrate")
    _cli(url, "users", "create-admin", "--email", "ops@example.com")
    token = _cli(url, "users", "token", "--email", "ops@example.com")
    port, shared = free_port(), tmp_path / "metrics"
    shared.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PORT": str(port),
        "STATIC_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "supportdesk.cli", "serve", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        for _ in range(40):  # a connection each: the kernel hands them to either worker
            httpx.get(f"{base}/api/tickets", headers=bearer(token))
        page = httpx.get(f"{base}/metrics", headers=bearer(token)).text
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert stderr.count("Application startup complete.") == 2
    writers = {path.stem.rpartition("_")[2] for path in shared.glob("counter_*.db")}
    assert len(writers) == 2, writers  # both processes counted requests
    route = {"method": "GET", "route": "/api/tickets", "status": "200"}
    assert _value(page, "supportdesk_http_requests_total", **route) == 40
