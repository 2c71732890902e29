"""The embedded default's job runner: the registered tasks, run in-process from the
`local_jobs` table on SQLite. No extra service; unfinished work resumes at start-up."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import aliased

from supportdesk.background import job_work
from supportdesk.jobs.models import LocalJob
from supportdesk.jobs.registry import PERIODIC, TASKS, JobContext
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0  # seconds between tries while the database keeps failing
FINISH_ATTEMPTS = 4
# A periodic task first runs this soon after start-up, then at its own interval: a server
# restarted more often than hourly must still do its hourly upkeep.
FIRST_RUN_SECONDS = 60.0


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    task: str
    args: dict[str, Any]
    attempts: int  # including this one


class LocalRunner:
    def __init__(self, context: JobContext) -> None:
        self.context = context
        self.settings = context.settings.jobs
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, recover: bool = True) -> None:
        """`recover=False` for a second runner beside a server on the same database."""
        if recover:
            await self.recover()
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self.settings.concurrency)]
        self._tasks += [asyncio.create_task(self._every(name)) for name in PERIODIC]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def recover(self) -> None:
        """Jobs left "doing" belonged to a process that died: SQLite has one runner, so
        they are this runner's to redo (tasks are idempotent), unless they keep dying."""
        async with self.context.database.transaction() as session:
            left = await session.execute(
                select(LocalJob.id, LocalJob.task, LocalJob.attempts).where(
                    LocalJob.status == "doing"
                )
            )
            for job_id, name, starts in left.all():
                spec = TASKS.get(name)
                values: dict[str, object] = {"status": "todo"}
                if spec is None or spec.abandoned_too_often(starts):
                    log.error(
                        "job %s (%s) died with its process %s times: given up", job_id, name, starts
                    )
                    values = {"status": "failed", "error": f"abandoned {starts} times"}
                await session.execute(
                    update(LocalJob).where(LocalJob.id == job_id).values(**values)
                )

    async def run_pending(self) -> int:
        """Run jobs until none is due; returns how many ran (for the CLI and tests)."""
        ran = 0
        while (job := await self._claim()) is not None:
            await self._run(job)
            ran += 1
        return ran

    async def _work(self) -> None:
        failures = 0
        while True:
            try:
                job = await self._claim()
                if job is not None:
                    await self._run(job)
                failures = 0
            except Exception:
                # The database itself failed (say, locked past busy_timeout): this worker
                # must outlive it, or the jobs stop until a restart with nothing to show.
                failures += 1
                log.exception("job runner: database error; retrying")
                await asyncio.sleep(min(self.settings.poll_seconds * 2**failures, MAX_BACKOFF))
                continue
            if job is None:
                await asyncio.sleep(self.settings.poll_seconds)

    async def _claim(self) -> ClaimedJob | None:
        """Take the most urgent (then oldest) due job whose lock is free, in one statement:
        SQLite runs a write statement alone, so two claimers never take one job or lock."""
        # Aliases keep the subquery from correlating with the table being updated.
        job, running = aliased(LocalJob, name="job"), aliased(LocalJob, name="running")
        lock_busy = exists().where(running.status == "doing", running.lock == job.lock)
        oldest_due = (
            select(job.id)
            .where(
                job.status == "todo", job.run_after <= utcnow(), or_(job.lock.is_(None), ~lock_busy)
            )
            .order_by(job.priority.desc(), job.id)
            .limit(1)
            .scalar_subquery()
        )
        claim = (
            update(LocalJob)
            .where(LocalJob.id == oldest_due)
            .values(status="doing", attempts=LocalJob.attempts + 1)
            .returning(LocalJob.id, LocalJob.task, LocalJob.args, LocalJob.attempts)
            .execution_options(synchronize_session=False)
        )
        async with self.context.database.transaction() as session:
            row = (await session.execute(claim)).first()
            return ClaimedJob(row.id, row.task, row.args, row.attempts) if row else None
        return None

    async def _run(self, job: ClaimedJob) -> None:
        spec = TASKS.get(job.task)
        outcome: dict[str, object] = {"status": "succeeded", "error": None}
        try:
            if spec is None:
                raise LookupError(f"no task named {job.task!r}")
            with job_work():
                await spec.function(self.context, **job.args)
        except asyncio.CancelledError:
            # Stopped mid-run (shut-down, or the CLI's runner done): back in the queue as
            # if never claimed, so its lock holds up no later job until a restart.
            back: dict[str, object] = {"status": "todo", "attempts": LocalJob.attempts - 1}
            await asyncio.shield(self._finish(job, back))
            raise
        except Exception as exc:
            log.exception("job %s (%s) failed", job.id, job.task)
            retry = spec is not None and job.attempts <= spec.retries
            outcome = {
                "status": "todo" if retry else "failed",
                "error": repr(exc)[:2000],
                "run_after": utcnow() + timedelta(seconds=2**job.attempts),
            }
        await self._finish(job, outcome)

    async def _finish(self, job: ClaimedJob, values: dict[str, object]) -> None:
        """Record how the job ended, retrying a busy database a few times; a job left
        "doing" after all of them is redone at the next start (tasks are idempotent)."""
        for attempt in range(FINISH_ATTEMPTS):
            try:
                async with self.context.database.transaction() as session:
                    statement = update(LocalJob).where(LocalJob.id == job.id).values(**values)
                    await session.execute(statement)
                return
            except Exception:
                log.exception("job %s: could not record its outcome", job.id)
                await asyncio.sleep(0.5 * 2**attempt)

    async def _every(self, name: str) -> None:
        spec = PERIODIC[name]
        wait = min(spec.every_seconds, FIRST_RUN_SECONDS)
        while True:
            await asyncio.sleep(wait)
            wait = spec.every_seconds
            try:
                with job_work():
                    await spec.function(self.context)
            except Exception:
                log.exception("periodic task %s failed", name)
