"""Enqueue a job inside the caller's transaction: it exists if and only if the change
that caused it commits, so no job is lost and none runs for a change that rolled back."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.dialect import is_postgresql
from supportdesk.jobs.models import LocalJob
from supportdesk.jobs.registry import TASKS

QUEUE = "supportdesk"


# procrastinate's own SQL function (schema applied by migration 0003): the job rows are
# written on this session's connection, in this transaction, in one statement.
def _defer(count: int) -> TextClause:
    rows = ", ".join(
        f"ROW(:queue, :task{n}, :priority{n}, :lock{n}, NULL, CAST(:args{n} AS jsonb), "
        f"CAST(:after{n} AS timestamptz))::procrastinate_job_to_defer_v1"
        for n in range(count)
    )
    return text(f"SELECT procrastinate_defer_jobs_v1(ARRAY[{rows}])")


@dataclass(frozen=True)
class Job:
    task: str
    args: dict[str, Any]
    after: datetime | None = None  # not run before then (None: as soon as a worker is free)


async def enqueue(
    session: AsyncSession, task_name: str, *, after: datetime | None = None, **args: Any
) -> None:
    """`after`: not run before then (None: as soon as a worker is free)."""
    await enqueue_all(session, [Job(task_name, args, after)])


async def enqueue_all(session: AsyncSession, jobs: Sequence[Job]) -> None:
    """Several jobs in one round trip (a change often causes four or five)."""
    if not jobs:
        return
    if is_postgresql(session):
        parameters: dict[str, Any] = {"queue": QUEUE}
        for n, job in enumerate(jobs):
            spec = TASKS[job.task]  # a KeyError here is a programming error, not user input
            parameters |= {
                f"task{n}": job.task,
                f"priority{n}": spec.priority,
                f"lock{n}": spec.lock(job.args) if spec.lock else None,
                f"args{n}": orjson.dumps(job.args).decode(),
                f"after{n}": job.after,
            }
        await session.execute(_defer(len(jobs)), parameters)
        return
    for job in jobs:
        spec = TASKS[job.task]
        row = LocalJob(
            task=job.task,
            args=job.args,
            lock=spec.lock(job.args) if spec.lock else None,
            priority=spec.priority,
        )
        if job.after is not None:
            row.run_after = job.after
        session.add(row)
    await session.flush()


async def enqueue_triggered(session: AsyncSession, event: str, ticket_id: int) -> None:
    """The work a ticket event causes, committed or rolled back with the change."""
    triggered = [spec.name for spec in TASKS.values() if event in spec.triggers]
    await enqueue_all(session, [Job(name, {"ticket_id": ticket_id}) for name in triggered])
