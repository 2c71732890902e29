"""Jobs are enqueued in the caller's transaction and run by the in-process runner."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from supportdesk.background import in_job
from supportdesk.jobs import local
from supportdesk.jobs.local import LocalRunner
from supportdesk.jobs.models import LocalJob
from supportdesk.jobs.queue import enqueue
from supportdesk.jobs.registry import CRASHES_TOLERATED, TASKS, JobContext, PeriodicSpec, task

CALLS: list[tuple[str, dict[str, Any]]] = []
MARKED_AS_JOB: list[bool] = []


@pytest.fixture
def sample_tasks() -> Iterator[None]:
    """Tasks that exist only in this test process."""
    CALLS.clear()
    MARKED_AS_JOB.clear()

    @task("test.record", lock=lambda args: f"item:{args['item']}")
    async def record(ctx: JobContext, item: int) -> None:
        # As the embedder sees it: from a worker thread, like the model calls.
        MARKED_AS_JOB.append(await asyncio.to_thread(in_job))
        CALLS.append(("start", {"item": item}))
        await asyncio.sleep(0.01)
        CALLS.append(("end", {"item": item}))

    @task("test.urgent", priority=20)
    async def urgent(ctx: JobContext, item: int) -> None:
        CALLS.append(("urgent", {"item": item}))

    @task("test.slow")
    async def slow(ctx: JobContext, item: int) -> None:
        CALLS.append(("slow", {"item": item}))
        await asyncio.sleep(60)

    @task("test.flaky", retries=2)
    async def flaky(ctx: JobContext, item: int) -> None:
        CALLS.append(("try", {"item": item}))
        if len([c for c in CALLS if c[0] == "try"]) < 2:
            raise RuntimeError("first try fails")

    yield
    for name in ("test.record", "test.flaky", "test.slow", "test.urgent"):
        TASKS.pop(name, None)


async def queued(app: FastAPI) -> int:
    async with app.state.db.sessions() as session:
        if app.state.db.dialect == "postgresql":
            statement = text("SELECT count(*) FROM procrastinate_jobs")
            return int((await session.execute(statement)).scalar_one())
        return int(await session.scalar(select(func.count(LocalJob.id))) or 0)


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_a_job_exists_only_if_its_transaction_commits(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        await enqueue(session, "test.record", item=1)
    with pytest.raises(RuntimeError):
        async with app.state.db.transaction() as session:
            await enqueue(session, "test.record", item=2)
            raise RuntimeError("the change fails")
    assert await queued(app) == 1


def runner_for(app: FastAPI) -> LocalRunner:
    if app.state.db.dialect != "sqlite":
        pytest.skip("the in-process runner serves the embedded (SQLite) default")
    return LocalRunner(JobContext(app.state.settings, app.state.db, app.state.triage))


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_runner_runs_jobs_and_retries_failures(app: FastAPI) -> None:
    runner = runner_for(app)
    async with app.state.db.transaction() as session:
        await enqueue(session, "test.flaky", item=7)
        await enqueue(session, "test.record", item=1)
    await runner.run_pending()
    async with app.state.db.transaction() as session:
        await session.execute(text("UPDATE local_jobs SET run_after = CURRENT_TIMESTAMP"))
    await runner.run_pending()
    async with app.state.db.sessions() as session:
        statuses = sorted((await session.execute(select(LocalJob.task, LocalJob.status))).all())
    assert statuses == [("test.flaky", "succeeded"), ("test.record", "succeeded")]
    assert [c for c in CALLS if c[0] == "try"] == [("try", {"item": 7})] * 2
    # The work is marked as a job's, so a shared model gives requests precedence.
    assert MARKED_AS_JOB == [True]
    assert not in_job()


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_a_job_someone_waits_on_jumps_the_queue(app: FastAPI) -> None:
    runner = runner_for(app)
    async with app.state.db.transaction() as session:
        for item in range(3):
            await enqueue(session, "test.record", item=item)
        await enqueue(session, "test.urgent", item=99)  # an email an agent just sent, say
    await runner.run_pending()
    assert [c for c in CALLS if c[0] != "end"][:2] == [
        ("urgent", {"item": 99}),
        ("start", {"item": 0}),
    ]


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_jobs_sharing_a_lock_never_overlap(app: FastAPI) -> None:
    runner = runner_for(app)
    async with app.state.db.transaction() as session:
        for _ in range(3):
            await enqueue(session, "test.record", item=5)
    await asyncio.gather(*(runner.run_pending() for _ in range(3)))
    assert [c[0] for c in CALLS] == ["start", "end"] * 3


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_work_left_doing_by_a_dead_process_is_redone(app: FastAPI) -> None:
    runner = runner_for(app)
    async with app.state.db.transaction() as session:
        await enqueue(session, "test.record", item=9)
        await session.execute(text("UPDATE local_jobs SET status = 'doing'"))
    await runner.recover()
    assert await runner.run_pending() == 1
    assert ("end", {"item": 9}) in CALLS


async def job_rows(app: FastAPI) -> list[tuple[str, str, int]]:
    async with app.state.db.sessions() as session:
        statement = select(LocalJob.task, LocalJob.status, LocalJob.attempts).order_by(LocalJob.id)
        return [tuple(row) for row in (await session.execute(statement)).all()]


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_a_job_stopped_mid_run_goes_back_to_the_queue(app: FastAPI) -> None:
    runner = runner_for(app)
    async with app.state.db.transaction() as session:
        await enqueue(session, "test.slow", item=1)
    await runner.start(recover=False)
    for _ in range(100):
        if CALLS:
            break
        await asyncio.sleep(0.05)
    assert await job_rows(app) == [("test.slow", "doing", 1)]

    await runner.stop()
    assert await job_rows(app) == [("test.slow", "todo", 0)]


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_a_database_error_does_not_end_a_worker(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = runner_for(app)
    monkeypatch.setattr(runner.settings, "poll_seconds", 0.01)
    claim = runner._claim
    failures = 0

    async def locked_once() -> object:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise OperationalError("claim", {}, Exception("database is locked"))
        return await claim()

    monkeypatch.setattr(runner, "_claim", locked_once)
    async with app.state.db.transaction() as session:
        await enqueue(session, "test.record", item=3)
    await runner.start(recover=False)
    try:
        for _ in range(200):
            if ("end", {"item": 3}) in CALLS:
                break
            await asyncio.sleep(0.05)
    finally:
        await runner.stop()
    assert failures == 1
    assert ("end", {"item": 3}) in CALLS


@pytest.mark.usefixtures("sample_tasks", "client")
async def test_a_job_that_keeps_dying_with_its_process_is_given_up(app: FastAPI) -> None:
    runner = runner_for(app)
    spec = TASKS["test.record"]
    async with app.state.db.transaction() as session:
        await enqueue(session, "test.record", item=1)
        await enqueue(session, "test.record", item=2)
        await session.execute(text("UPDATE local_jobs SET status = 'doing'"))
        starts = spec.retries + 1 + CRASHES_TOLERATED
        await session.execute(
            text("UPDATE local_jobs SET attempts = :n WHERE id = (SELECT min(id) FROM local_jobs)"),
            {"n": starts + 1},
        )
        await session.execute(
            text("UPDATE local_jobs SET attempts = :n WHERE id = (SELECT max(id) FROM local_jobs)"),
            {"n": starts},
        )
    await runner.recover()
    assert [status for _, status, _ in await job_rows(app)] == ["failed", "todo"]


@pytest.mark.usefixtures("client")
async def test_an_hourly_task_first_runs_soon_after_start(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server restarted more often than hourly still does its hourly upkeep."""
    runner = runner_for(app)
    ran: list[str] = []

    async def upkeep(ctx: JobContext) -> None:
        ran.append("upkeep")

    monkeypatch.setattr(
        local, "PERIODIC", {"test.hourly": PeriodicSpec("test.hourly", upkeep, 3600)}
    )
    monkeypatch.setattr(local, "FIRST_RUN_SECONDS", 0.05)
    await runner.start(recover=False)
    await asyncio.sleep(0.5)
    await runner.stop()
    assert ran == ["upkeep"]
