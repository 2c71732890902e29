"""`supportdesk analyze`: start a run, follow it with a progress bar, print its summary.

On SQLite the run's jobs are executed here, in this process; on PostgreSQL they are
enqueued for the workers and this command only follows the run.
"""

import asyncio
import time
from enum import StrEnum
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from supportdesk.analysis import service
from supportdesk.analysis.models import ACTIVE_RUN, AnalysisRun
from supportdesk.config import Settings, get_settings
from supportdesk.db import Database
from supportdesk.dialect import is_postgresql
from supportdesk.errors import AppError
from supportdesk.jobs.local import LocalRunner
from supportdesk.jobs.registry import JobContext
from supportdesk.migrate import upgrade
from supportdesk.taxonomy import Category, Priority, Status
from supportdesk.tickets.service import TicketFilter
from supportdesk.triage.engine import TriageEngine

app = typer.Typer(help="Batch analysis runs: per-ticket labels and an executive summary.")
console = Console()

POLL_SECONDS = 0.25
# On PostgreSQL a run that has not moved for this long probably has no worker to run it.
NO_WORKER_HINT_SECONDS = 15.0

E = TypeVar("E", bound=StrEnum)


def _choices(raw: str | None, enum: type[E], option: str) -> list[E]:
    values = [v.strip() for v in (raw or "").split(",") if v.strip()]
    unknown = [v for v in values if v not in enum._value2member_map_]
    if unknown:
        allowed = ", ".join(e.value for e in enum)
        raise typer.BadParameter(
            f"unknown value {unknown[0]!r}; one of: {allowed}", param_hint=option
        )
    return [enum(v) for v in dict.fromkeys(values)]


def _ids(raw: str | None) -> list[int] | None:
    if raw is None:
        return None
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(
            "comma-separated ticket ids, e.g. 1,2,3", param_hint="--ids"
        ) from None
    if not ids:
        raise typer.BadParameter("at least one ticket id", param_hint="--ids")
    return ids


@app.callback(invoke_without_command=True)
def analyze(
    ctx: typer.Context,
    ids: str | None = typer.Option(None, "--ids", help="these tickets, e.g. 1,2,3"),
    status: str | None = typer.Option(None, help="filter: statuses, comma-separated"),
    category: str | None = typer.Option(None, help="filter: categories, comma-separated"),
    priority: str | None = typer.Option(None, help="filter: priorities, comma-separated"),
    search: str | None = typer.Option(None, help="filter: words in title or description"),
    every: bool = typer.Option(False, "--all", help="every ticket, analysed before or not"),
    wait: bool = typer.Option(True, help="follow the run until it has finished"),
    # One: the local model already uses both cores of a chunk; two chunks only contend.
) -> None:
    """Analyze the tickets no run has analyzed yet (default), some ids, or a filter."""
    if ctx.invoked_subcommand is not None:
        return
    filters = None
    if every or any(v is not None for v in (status, category, priority, search)):
        filters = TicketFilter(
            categories=_choices(category, Category, "--category"),
            priorities=_choices(priority, Priority, "--priority"),
            statuses=_choices(status, Status, "--status"),
            search=search.strip() if search and search.strip() else None,
        )
    ticket_ids = _ids(ids)
    if ticket_ids is not None and filters is not None:
        raise typer.BadParameter("give --ids or filters, not both", param_hint="--ids")
    settings = get_settings()
    upgrade(settings.database_url)
    asyncio.run(_analyze(settings, ticket_ids, filters, wait))


@app.command()
def show(run_id: int) -> None:
    """Print a run's status and summary."""
    asyncio.run(_show(get_settings(), run_id))


async def _show(settings: Settings, run_id: int) -> None:
    database = Database(settings.database_url)
    try:
        async with database.transaction() as session:
            run = await service.get_run(session, run_id)
            progress = (await service.progress(session, [run_id]))[run_id]
        _print_run(run, progress)
    except AppError as exc:
        _fail(exc)
    finally:
        await database.dispose()


def _fail(exc: AppError) -> None:
    console.print(f"[red]{exc.detail or exc.title}[/red]", highlight=False)
    for field, messages in exc.errors.items():
        console.print(f"  {field}: {'; '.join(messages)}")
    raise typer.Exit(1)


def _print_run(run: AnalysisRun, progress: service.Progress) -> None:
    console.print(
        f"run #{run.id}: {run.status}; {progress.analyzed} analysed, {progress.failed} failed "
        f"of {progress.total}"
    )
    if run.summary:
        console.print()
        console.print(run.summary, markup=False, highlight=False)


async def _analyze(
    settings: Settings,
    ticket_ids: list[int] | None,
    filters: TicketFilter | None,
    wait: bool,
) -> None:
    database = Database(settings.database_url)
    triage = TriageEngine(settings, database)
    await triage.start()
    try:
        try:
            async with database.transaction() as session:
                run = await service.start_run(session, ticket_ids, filters)
        except AppError as exc:
            _fail(exc)
        console.print(f"run #{run.id}: {run.ticket_count} tickets")
        if not wait:
            return
        # On SQLite this process runs the queued jobs itself (beside any server doing
        # the same: claims are atomic); on PostgreSQL the workers do.
        runner = None
        if not is_postgresql(database):
            runner = LocalRunner(JobContext(settings, database, triage))
            await runner.start(recover=False)
        started = time.perf_counter()
        try:
            await _follow(database, run.id, run.ticket_count, expect_worker=runner is None)
        finally:
            if runner is not None:
                await runner.stop()
        elapsed = time.perf_counter() - started
        async with database.transaction() as session:
            finished = await service.get_run(session, run.id)
            progress = (await service.progress(session, [run.id]))[run.id]
        console.print(
            f"{progress.done} tickets in {elapsed:.1f} s ({progress.done / elapsed:.0f}/s)"
        )
        _print_run(finished, progress)
    finally:
        await triage.stop()
        await database.dispose()


async def _follow(database: Database, run_id: int, total: int, expect_worker: bool) -> None:
    columns = (
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
    )
    hinted, last_done, last_change = False, -1, time.monotonic()
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("run", total=total, state="pending")
        while True:
            async with database.transaction() as session:
                run = await service.get_run(session, run_id)
                progress = (await service.progress(session, [run_id]))[run_id]
            state = (
                "summarising" if progress.done == total and run.status in ACTIVE_RUN else run.status
            )
            bar.update(task, completed=progress.done, state=state)
            if run.status not in ACTIVE_RUN:
                break
            if progress.done != last_done:
                last_done, last_change = progress.done, time.monotonic()
            elif (
                expect_worker
                and not hinted
                and time.monotonic() - last_change > NO_WORKER_HINT_SECONDS
            ):
                bar.console.print("no progress yet: is a job worker running?")
                hinted = True
            await asyncio.sleep(POLL_SECONDS)
