"""Enqueue a job inside the caller's transaction: it exists if and only if the change
that caused it commits, so no job is lost and none runs for a change that rolled back."""

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.dialect import is_postgresql
from supportdesk.jobs.models import LocalJob
from supportdesk.jobs.registry import TASKS

QUEUE = "supportdesk"

# procrastinate's own SQL function (schema applied by migration 0003): the job row is
# written on this session's connection, in this transaction.
DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, :priority, :lock, NULL, "
    "CAST(:args AS jsonb), CAST(:after AS timestamptz))::procrastinate_job_to_defer_v1])"
)


async def enqueue(
    session: AsyncSession, task_name: str, *, after: datetime | None = None, **args: Any
) -> None:
    """`after`: not run before then (None: as soon as a worker is free)."""
    spec = TASKS[task_name]  # a KeyError here is a programming error, not user input
    lock = spec.lock(args) if spec.lock else None
    if is_postgresql(session):
        payload = orjson.dumps(args).decode()
        await session.execute(
            DEFER,
            {
                "queue": QUEUE,
                "task": task_name,
                "priority": spec.priority,
                "lock": lock,
                "args": payload,
                "after": after,
            },
        )
    else:
        job = LocalJob(task=task_name, args=args, lock=lock, priority=spec.priority)
        if after is not None:
            job.run_after = after
        session.add(job)
        await session.flush()


async def enqueue_triggered(session: AsyncSession, event: str, ticket_id: int) -> None:
    """The work a ticket event causes, committed or rolled back with the change."""
    for spec in TASKS.values():
        if event in spec.triggers:
            await enqueue(session, spec.name, ticket_id=ticket_id)
