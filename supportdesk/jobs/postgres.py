"""The same registered tasks on procrastinate, for PostgreSQL deployments: jobs live in
the application database and any number of `supportdesk worker` processes share them."""

import logging
from typing import Any

import procrastinate
from procrastinate import PsycopgConnector, RetryStrategy
from procrastinate.jobs import Status
from procrastinate.manager import JobManager
from sqlalchemy import text

from supportdesk.background import job_work
from supportdesk.db import Database
from supportdesk.jobs.queue import QUEUE
from supportdesk.jobs.registry import PERIODIC, TASKS, JobContext, PeriodicSpec, TaskSpec

log = logging.getLogger(__name__)


def psycopg_dsn(database_url: str) -> str:
    """SQLAlchemy's `postgresql+asyncpg://...` as libpq understands it."""
    return "postgresql://" + database_url.split("://", 1)[1]


def _cron(every_seconds: int) -> str:
    # procrastinate's cron has a sixth field for seconds when a minute is too coarse.
    if every_seconds >= 60:
        return f"*/{max(1, every_seconds // 60)} * * * *"
    return f"* * * * * */{every_seconds}"


def build_app(context: JobContext) -> procrastinate.App:
    app = procrastinate.App(
        connector=PsycopgConnector(conninfo=psycopg_dsn(context.settings.database_url))
    )
    for spec in TASKS.values():
        _register(app, context, spec)
    for periodic in PERIODIC.values():
        _register_periodic(app, context, periodic)
    _register_recovery(app, context)
    return app


def _register(app: procrastinate.App, context: JobContext, spec: TaskSpec) -> None:
    async def run(**args: Any) -> None:
        with job_work():
            await spec.function(context, **args)

    retry = RetryStrategy(max_attempts=spec.retries, exponential_wait=2) if spec.retries else False
    app.task(name=spec.name, queue=QUEUE, retry=retry)(run)


def _register_periodic(app: procrastinate.App, context: JobContext, spec: PeriodicSpec) -> None:
    async def run(timestamp: int) -> None:
        with job_work():
            await spec.function(context)

    task = app.task(name=f"periodic:{spec.name}", queue=QUEUE)(run)
    app.periodic(cron=_cron(spec.every_seconds), periodic_id=spec.name)(task)


def _register_recovery(app: procrastinate.App, context: JobContext) -> None:
    """A worker killed mid-job leaves it "doing"; once the worker's heartbeat is stale the
    job goes back to the queue for another worker (tasks are idempotent)."""

    async def recover_stalled(timestamp: int) -> None:
        await recover_stalled_jobs(app.job_manager, context.settings.jobs.stalled_seconds)

    task = app.task(name="periodic:jobs.recover_stalled", queue=QUEUE)(recover_stalled)
    app.periodic(cron="* * * * * */5", periodic_id="recover_stalled")(task)

    async def analyze_queue(timestamp: int) -> None:
        await analyze_when_grown(context.database)

    task = app.task(name="periodic:jobs.analyze_queue", queue=QUEUE)(analyze_queue)
    # Ahead of any queued work: the burst it is for would hold it up otherwise.
    app.periodic(cron="* * * * * */10", periodic_id="analyze_queue", priority=ANALYZE_FIRST)(task)


async def analyze_when_grown(database: Database) -> bool:
    """Refresh the job table's statistics once it changed a lot since they were taken: a
    burst of thousands of jobs (an email import) otherwise leaves procrastinate's fetch
    planned for a nearly empty table, a full scan and sort for every job, until autovacuum
    gets to it (a minute or more). Whether it analysed."""
    async with database.transaction() as session:
        changed = await session.scalar(GROWN)
        if (changed or 0) < ANALYZE_AFTER:
            return False
        await session.execute(text("ANALYZE procrastinate_jobs"))
    return True


async def recover_stalled_jobs(manager: JobManager, stalled_seconds: float) -> None:
    """Back to the queue, unless the job keeps killing its worker (then: failed); then
    forget the workers that stopped sending heartbeats."""
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_seconds):
        spec = TASKS.get(job.task_name)
        starts = job.attempts + 1  # procrastinate counts the retries before this start
        if spec is not None and spec.abandoned_too_often(starts):
            log.error("stalled job %s (%s) given up after %s starts", job.id, job.task_name, starts)
            await manager.finish_job(job, status=Status.FAILED, delete_job=False)
        else:
            log.warning("retrying stalled job %s (%s)", job.id, job.task_name)
            await manager.retry_job(job)
    # Their jobs are back in the queue: the dead workers' rows go too (procrastinate does
    # this only when a worker starts).
    await manager.prune_stalled_workers(stalled_seconds)


# Rows changed since the last ANALYZE that make the statistics worth taking again.
ANALYZE_AFTER = 1_000
GROWN = text(
    "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'procrastinate_jobs'"
)
ANALYZE_FIRST = 100


async def run_worker(
    app: procrastinate.App, context: JobContext, *, handle_signals: bool = False
) -> None:
    stalled = context.settings.jobs.stalled_seconds
    async with app.open_async():
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=context.settings.jobs.concurrency,
            stalled_worker_timeout=stalled,
            update_heartbeat_interval=max(1.0, stalled / 3),
            install_signal_handlers=handle_signals,
        )
