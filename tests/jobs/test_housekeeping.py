"""Finished jobs are deleted once old enough, on both backends; jobs still to run, recent
ones, and failed ones within their longer keep stay."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import text, update

from supportdesk.jobs.housekeeping import prune_finished_jobs
from supportdesk.jobs.models import LocalJob
from supportdesk.jobs.queue import enqueue
from supportdesk.jobs.registry import PERIODIC, JobContext
from supportdesk.types import utcnow

pytestmark = pytest.mark.usefixtures("client")


async def job_finished(app: FastAPI, ticket_id: int, status: str, days_ago: float) -> int:
    """A job that reached `status` `days_ago` days ago; returns its id."""
    postgres = app.state.db.dialect == "postgresql"
    async with app.state.db.transaction() as session:
        await enqueue(session, "workflow.process_ticket", ticket_id=ticket_id)
        table = "procrastinate_jobs" if postgres else "local_jobs"
        job_id = int((await session.execute(text(f"SELECT max(id) FROM {table}"))).scalar_one())
        age = {"id": job_id, "status": status, "days": days_ago}
        if postgres:
            # The status change writes an event of its own; then every event is dated back.
            await session.execute(
                text(
                    "UPDATE procrastinate_jobs "
                    "SET status = CAST(:status AS procrastinate_job_status) WHERE id = :id"
                ),
                age,
            )
            await session.execute(
                text(
                    "UPDATE procrastinate_events SET at = now() - make_interval(days => :days) "
                    "WHERE job_id = :id"
                ),
                age,
            )
        else:
            created = utcnow() - timedelta(days=days_ago)
            await session.execute(
                update(LocalJob)
                .where(LocalJob.id == job_id)
                .values(status=status, created_at=created)
            )
    return job_id


async def job_ids(app: FastAPI) -> set[int]:
    table = "procrastinate_jobs" if app.state.db.dialect == "postgresql" else "local_jobs"
    async with app.state.db.engine.connect() as connection:
        return set((await connection.execute(text(f"SELECT id FROM {table}"))).scalars())


async def test_old_finished_jobs_go_and_the_rest_stay(app: FastAPI) -> None:
    assert PERIODIC["jobs.prune_finished"].every_seconds == 3600
    old_success = await job_finished(app, 1, "succeeded", days_ago=8)
    recent_success = await job_finished(app, 2, "succeeded", days_ago=6)
    old_failure = await job_finished(app, 3, "failed", days_ago=31)
    kept_failure = await job_finished(app, 4, "failed", days_ago=8)
    old_waiting = await job_finished(app, 5, "todo", days_ago=60)

    await prune_finished_jobs(JobContext(app.state.settings, app.state.db, app.state.triage))

    remaining = await job_ids(app)
    assert old_success not in remaining and old_failure not in remaining
    assert {recent_success, kept_failure, old_waiting} <= remaining


async def test_a_job_in_procrastinates_periodic_record_goes_too(app: FastAPI) -> None:
    if app.state.db.dialect != "postgresql":
        pytest.skip("periodic runs leave job rows on procrastinate only")
    job_id = await job_finished(app, 1, "succeeded", days_ago=8)
    async with app.state.db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO procrastinate_periodic_defers (task_name, defer_timestamp, job_id, "
                "periodic_id) VALUES ('periodic:workflow.flag_sla_breaches', 1, :id, 'x')"
            ),
            {"id": job_id},
        )

    await prune_finished_jobs(JobContext(app.state.settings, app.state.db, app.state.triage))

    assert job_id not in await job_ids(app)
    async with app.state.db.engine.connect() as connection:
        linked = "SELECT job_id FROM procrastinate_periodic_defers"
        assert (await connection.execute(text(linked))).scalars().all() == [None]
