"""Small factories: each test builds exactly the state it needs."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, text

from supportdesk.audit.service import SYSTEM
from supportdesk.auth import service
from supportdesk.auth.actor import Role


async def make_ticket(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Charged twice",
        "description": "I was charged twice for my subscription this month.",
        "category": "billing",
        "priority": "medium",
        **fields,
    }
    response = await client.post("/api/tickets/", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def queued_jobs(app: FastAPI, task_prefix: str = "") -> list[tuple[int, str, dict[str, Any]]]:
    """Jobs waiting whose task name starts with `task_prefix`: rows of local_jobs on SQLite,
    of procrastinate_jobs on PostgreSQL."""
    query = (
        "SELECT id, task_name, args FROM procrastinate_jobs "
        "WHERE status = 'todo' AND task_name LIKE :like ORDER BY id"
        if app.state.db.dialect == "postgresql"
        else "SELECT id, task, args FROM local_jobs "
        "WHERE status = 'todo' AND task LIKE :like ORDER BY id"
    )
    async with app.state.db.engine.connect() as connection:
        rows = (await connection.execute(text(query), {"like": f"{task_prefix}%"})).all()
    return [(i, name, json.loads(a) if isinstance(a, str) else a) for i, name, a in rows]


async def make_staff(
    app: FastAPI, role: str = "admin", teams: tuple[str, ...] = (), email: str | None = None
) -> tuple[int, str]:
    """A staff user and an API token of theirs: (user id, token)."""
    async with app.state.db.transaction() as session:
        count = len(await service.list_users(session))
        user = await service.create_user(
            session,
            email=email or f"{role}{count}@example.com",
            name=f"{role.title()} {count}",
            role=Role(role),
            teams=teams,
            by=SYSTEM,
        )
        _, token = await service.create_token(session, user.id, "tests")
    return user.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def run_cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """`supportdesk <args>` in a process of its own, on the database at `url`."""
    return subprocess.run(
        [sys.executable, "-m", "supportdesk.cli", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def recorded_statements(app: FastAPI) -> Iterator[list[tuple[str, Any]]]:
    """The SQL the app sends meanwhile, with its parameters."""
    statements: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        statements.append((args[2], args[3]))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
