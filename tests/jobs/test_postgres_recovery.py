"""Stalled jobs on procrastinate: back to the queue, unless they keep killing their worker.

The worker-kill test in test_durability.py covers the real path end to end; this one checks
the give-up rule on the job manager's calls, with a stand-in manager."""

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from procrastinate.jobs import Job, Status
from sqlalchemy import text

from supportdesk.jobs.postgres import ANALYZE_AFTER, analyze_when_grown, recover_stalled_jobs
from supportdesk.jobs.queue import enqueue
from supportdesk.jobs.registry import CRASHES_TOLERATED, TASKS


@dataclass
class Manager:
    stalled: list[Job]
    calls: list[tuple[str, int | None, Any]] = field(default_factory=list)

    async def get_stalled_jobs(self, seconds_since_heartbeat: float) -> list[Job]:
        return self.stalled

    async def retry_job(self, job: Job) -> None:
        self.calls.append(("retry", job.id, None))

    async def finish_job(self, job: Job, status: Status, delete_job: bool) -> None:
        self.calls.append(("finish", job.id, status))

    async def prune_stalled_workers(self, seconds_since_heartbeat: float) -> list[int]:
        self.calls.append(("prune workers", None, seconds_since_heartbeat))
        return []


def stalled_job(job_id: int, attempts: int) -> Job:
    return Job(
        id=job_id,
        queue="supportdesk",
        lock=None,
        queueing_lock=None,
        task_name="workflow.process_ticket",
        task_kwargs={"ticket_id": 1},
        attempts=attempts,
    )


async def test_a_stalled_job_is_retried_until_it_has_died_too_often() -> None:
    import supportdesk.workflow.tasks  # noqa: F401  (registers the task)

    last_allowed = TASKS["workflow.process_ticket"].retries + CRASHES_TOLERATED
    manager = Manager(
        [stalled_job(1, 0), stalled_job(2, last_allowed), stalled_job(3, last_allowed + 1)]
    )
    await recover_stalled_jobs(manager, 5)  # type: ignore[arg-type]
    assert manager.calls == [
        ("retry", 1, None),
        ("retry", 2, None),
        ("finish", 3, Status.FAILED),
        ("prune workers", None, 5),
    ]


async def test_the_job_table_is_analysed_once_a_burst_changed_it(app: FastAPI) -> None:
    """A burst of jobs gets fresh statistics at once (procrastinate's fetch is planned on
    them); a quiet queue is left to autovacuum."""
    if app.state.db.dialect != "postgresql":
        pytest.skip("the job table is procrastinate's, on PostgreSQL")
    async with app.state.db.transaction() as session:
        await session.execute(text("ANALYZE procrastinate_jobs"))
    assert not await analyze_when_grown(app.state.db)
    async with app.state.db.transaction() as session:
        for n in range(ANALYZE_AFTER + 10):
            await enqueue(session, "workflow.process_ticket", ticket_id=10_000_000 + n)
    # The statistics collector reports changes a moment after they commit.
    for _ in range(50):
        if await analyze_when_grown(app.state.db):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the burst was never analysed")
    assert not await analyze_when_grown(app.state.db)
    async with app.state.db.transaction() as session:
        await session.execute(text("DELETE FROM procrastinate_jobs"))
