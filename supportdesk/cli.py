"""The `supportdesk` command: serve, migrate, seed."""

import asyncio
import logging.config
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from itertools import count as count_from
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, cast

import typer
import uvicorn
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk import backup, move
from supportdesk.analysis import cli as analysis_cli
from supportdesk.auth import cli as auth_cli
from supportdesk.config import get_settings
from supportdesk.conversations.service import insert_messages, timelines_of
from supportdesk.db import Database
from supportdesk.demo import demo_threads, demo_tickets, with_suggestions
from supportdesk.jobs.registry import JobContext
from supportdesk.jobs.runtime import run_standalone_worker
from supportdesk.jobs.tasks import load_tasks
from supportdesk.logs import log_config
from supportdesk.metrics import MULTIPROCESS_DIR
from supportdesk.migrate import upgrade
from supportdesk.sla import service as sla
from supportdesk.taxonomy import Category, Priority
from supportdesk.tickets.service import (
    TicketFilter,
    bulk_load,
    count_tickets,
    insert_many,
    new_ids,
)
from supportdesk.triage import cli as triage_cli
from supportdesk.triage.engine import TriageEngine
from supportdesk.types import utcnow
from supportdesk.workflow.pipeline import setup_for
from supportdesk.workflow.routing.config import RoutingConfig
from supportdesk.workflow.routing.route import route

app = typer.Typer(help="supportdesk: AI-triaged support tickets.", no_args_is_help=True)
app.add_typer(triage_cli.app, name="triage")
app.add_typer(analysis_cli.app, name="analyze")
app.add_typer(auth_cli.app, name="users")


@app.command()
def migrate() -> None:
    """Apply database migrations."""
    upgrade(get_settings().database_url)
    typer.echo("database is up to date")


@app.command()
def serve(host: str | None = None, port: int | None = None, workers: int | None = None) -> None:
    """Migrate, then serve the API and the web UI."""
    settings = get_settings()
    upgrade(settings.database_url)
    asyncio.run(auth_cli.print_setup_link(settings, port))
    if (workers or settings.web_concurrency) > 1 and not os.environ.get(MULTIPROCESS_DIR):
        # Each start gets a fresh one: measurements of processes gone are not summed.
        os.environ[MULTIPROCESS_DIR] = tempfile.mkdtemp(prefix="supportdesk-metrics-")
    uvicorn.run(
        "supportdesk.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.web_concurrency,
        log_config=log_config(settings.log_level, settings.log_format),
        # A line per request costs ~6% of a list request's CPU; opt in with ACCESS_LOG=true.
        access_log=settings.access_log,
    )


async def _worker() -> None:
    settings = get_settings()
    database = Database(settings.database_url)
    triage = TriageEngine(settings, database)
    await triage.start()
    try:
        await run_standalone_worker(JobContext(settings, database, triage))
    finally:
        await triage.stop()
        await database.dispose()


@app.command("backup")
def backup_command(archive: Path = typer.Argument(..., help="the .tar.gz to write")) -> None:
    """Back up the embedded database (safe while the server runs) into one archive."""
    try:
        manifest = backup.backup(get_settings().database_url, archive)
    except backup.BackupError as error:
        raise typer.BadParameter(str(error)) from None
    rows = sum(manifest["counts"].values())
    typer.echo(f"backed up {rows} rows at migration {manifest['revision']} to {archive}")


@app.command("restore")
def restore_command(
    archive: Path = typer.Argument(..., help="a backup's .tar.gz"),
    replace: bool = typer.Option(False, help="restore over a database that holds data"),
) -> None:
    """Restore a backup into the embedded database (stop the server first)."""
    try:
        restored = backup.restore(get_settings().database_url, archive, replace=replace)
    except backup.BackupError as error:
        raise typer.BadParameter(str(error)) from None
    rows = sum(restored.counts.values())
    typer.echo(f"restored {rows} rows at migration {restored.revision}")


async def _move(to: str, resume: bool) -> None:
    source, target = Database(get_settings().database_url), Database(to)
    try:
        await move.check(source, target, to, resume)
        with Progress() as progress:
            for table in move.tables():
                async with source.engine.connect() as connection:
                    total = await move.count_rows(connection, table)
                bar = progress.add_task(table.name, total=total)
                await move.copy_table(source, target, table, partial(progress.advance, bar))
        jobs = await move.move_jobs(source, target)
        await move.reset_sequences(target)
        typer.echo("verifying: row counts and checksums of every table")
        differing = await move.verify(source, target)
    finally:
        await source.dispose()
        await target.dispose()
    if differing:
        raise typer.BadParameter(f"the copy differs in {', '.join(differing)}: move again")
    typer.echo(f"moved every table ({jobs} waiting jobs); counts and checksums match")


@app.command("move-data")
def move_data(
    to: str = typer.Option(..., help="the target's DATABASE_URL (an empty database)"),
    resume: bool = typer.Option(False, help="go on with a move that was interrupted"),
) -> None:
    """Copy every row of this install into another database (SQLite to PostgreSQL or
    back), same ids; resumable; verified by counts and checksums. Stop the server first."""
    upgrade(get_settings().database_url)
    load_tasks()
    try:
        asyncio.run(_move(to, resume))
    except move.MoveRefused as error:
        raise typer.BadParameter(str(error)) from None


@app.command()
def worker() -> None:
    """Run background jobs (PostgreSQL): start as many as you like, on any machine."""
    if get_settings().is_sqlite:
        raise typer.BadParameter("workers need PostgreSQL; on SQLite `serve` runs the jobs")
    upgrade(get_settings().database_url)
    settings = get_settings()
    logging.config.dictConfig(log_config(settings.log_level, settings.log_format))
    asyncio.run(_worker())


@dataclass(frozen=True)
class SeedOptions:
    count: int
    batch: int
    seed: int
    if_empty: bool
    workflow: bool
    ai: bool
    routed: bool
    threads: float


def _routed(rows: list[dict[str, object]], routing: RoutingConfig) -> None:
    """The team each ticket's routing rules give it, as the workflow would set it."""
    for row in rows:
        text = f"{row['title']}\n{row['description']}"
        category, priority = Category(str(row["category"])), Priority(str(row["priority"]))
        row["team"] = route(routing, category=category, priority=priority, text=text).team


@dataclass(frozen=True)
class _Load:
    """What every batch of a seed needs."""

    options: SeedOptions
    agents: list[int]
    rules: sla.Rules
    now: datetime


@dataclass(frozen=True)
class _Batch:
    """Tickets ready to load: with their ids, SLA standing and conversations."""

    rows: list[dict[str, object]]
    messages: list[dict[str, object]]
    # Ticket id -> its SLA outcome rows: plain values, cheap to send between processes.
    outcomes: dict[int, list[dict[str, Any]]]


def _prepared(rows: list[dict[str, object]], ids: list[int], load: _Load, n: int) -> _Batch:
    """One batch of tickets with their ids, a short conversation on every n-th one (replied
    by the demo agents: what the ticket page reads at scale) and the SLA standing that
    gives each, as the workflow would keep it: the rows go in complete, never updated
    after."""
    for row, ticket_id in zip(rows, ids, strict=True):
        row["id"] = ticket_id
    messages: list[dict[str, object]] = []
    if load.options.threads:
        every = max(1, round(1 / load.options.threads))
        picked = [
            (i, cast(datetime, row["created_at"]))
            for i, row in zip(ids, rows, strict=True)
            if i % every == 0
        ]
        threads = demo_threads(picked, load.agents, load.options.seed + n)
        messages = [m for m in threads if cast(datetime, m["created_at"]) <= load.now]
    timelines = timelines_of(messages)
    outcomes = {}
    for ticket_id, row in zip(ids, rows, strict=True):
        standing = load.rules.standing(row, timelines.get(ticket_id, []), load.now)
        row["due_at"], row["sla_breached"] = standing.due_at, standing.breached
        outcomes[ticket_id] = standing.outcome_rows(row)
    return _Batch(rows, messages, outcomes)


async def _load(session: AsyncSession, batch: _Batch, load: _Load) -> int:
    """The batch into the database. How many messages that was."""
    await insert_many(session, batch.rows, with_workflow=load.options.workflow)
    await insert_messages(session, batch.messages)
    await sla.keep_loaded(session, batch.outcomes)
    return len(batch.messages)


def _demo_batches(
    options: SeedOptions, now: datetime, routing: RoutingConfig | None
) -> Iterator[list[dict[str, object]]]:
    tickets = demo_tickets(options.count, seed=options.seed, now=now)
    while rows := list(islice(tickets, options.batch)):
        if routing is not None:
            _routed(rows, routing)
        yield rows


# A bulk load's batches, made in a process of their own (`_load_in_step`).
_ahead: tuple[Iterator[list[dict[str, object]]], _Load] | None = None


def _start_batches(load: _Load, routing: RoutingConfig | None) -> None:
    global _ahead
    _ahead = (_demo_batches(load.options, load.now, routing), load)


def _next_batch(ids: list[int], n: int) -> _Batch | None:
    assert _ahead is not None, "_start_batches first"
    batches, load = _ahead
    rows = next(batches, None)
    return None if rows is None else _prepared(rows, ids[: len(rows)], load, n)


async def _load_in_step(
    session: AsyncSession, load: _Load, routing: RoutingConfig | None, loaded: Callable[[int], None]
) -> int:
    """All the tickets, their next batch made in another process while this one loads the
    last: on two cores the Python that makes tickets and the database that stores them
    work at once. How many messages that was."""
    ids, size = await new_ids(session, load.options.count), load.options.batch
    messages, loop = 0, asyncio.get_running_loop()
    with ProcessPoolExecutor(
        1, mp_context=get_context("spawn"), initializer=_start_batches, initargs=(load, routing)
    ) as maker:
        ahead = loop.run_in_executor(maker, _next_batch, ids[:size], 0)
        for n in count_from(1):
            batch = await ahead
            if batch is None:
                break
            ahead = loop.run_in_executor(maker, _next_batch, ids[n * size : (n + 1) * size], n)
            messages += await _load(session, batch, load)
            loaded(len(batch.rows))
    return messages


async def _seed(options: SeedOptions) -> None:
    count, if_empty, ai = options.count, options.if_empty, options.ai
    settings = get_settings()
    database = Database(settings.database_url)
    if if_empty:
        async with database.transaction() as session:
            if await count_tickets(session, TicketFilter()):
                typer.echo("database already has tickets; not seeding")
                await database.dispose()
                return
    triage = TriageEngine(settings, database) if ai else None
    if triage is not None:
        await triage.start()
        if triage.local is None:
            typer.echo("the local model is not built: seeding without AI suggestions")
    await auth_cli.seed_demo_staff(database)
    async with database.transaction() as session:
        load = _Load(
            options, await auth_cli.demo_agent_ids(session), await sla.rules(session), utcnow()
        )
    routing = setup_for(settings).routing if options.routed else None
    messages = 0
    with Progress() as progress:
        task = progress.add_task("seeding tickets", total=count)
        # Into an empty table on PostgreSQL: one transaction, without the per-row rollup
        # trigger and text index upkeep (`bulk_load`).
        async with database.transaction() as session, bulk_load(session) as bulk:
            if bulk and triage is None:
                loaded = partial(progress.advance, task)
                messages = await _load_in_step(session, load, routing, loaded)
        if not bulk or triage is not None:
            for n, rows in enumerate(_demo_batches(options, load.now, routing)):
                if triage is not None and triage.local is not None:
                    texts = [(str(row["title"]), str(row["description"])) for row in rows]
                    suggested = await asyncio.to_thread(triage.local.classify_many, texts)
                    with_suggestions(rows, suggested)
                async with database.transaction() as session:
                    ready = _prepared(rows, await new_ids(session, len(rows)), load, n)
                    messages += await _load(session, ready, load)
                progress.advance(task, len(rows))
    if triage is not None:
        await triage.stop()
    await database.dispose()
    typer.echo(f"added {count} demo tickets" + (f" and {messages} messages" if messages else ""))


@app.command()
def seed(
    count: int = typer.Option(200, min=1, help="how many demo tickets"),
    batch: int = typer.Option(2000, min=1, help="tickets per transaction"),
    random_seed: int = typer.Option(7, help="same seed, same tickets"),
    if_empty: bool = typer.Option(False, help="only seed a database without tickets"),
    workflow: bool = typer.Option(True, help="queue each ticket's workflow (facts, team, draft)"),
    ai: bool = typer.Option(
        False, help="triage each ticket with the local model, as if filed through the API"
    ),
    routed: bool = typer.Option(False, help="give each ticket the team routing gives it"),
    threads: float = typer.Option(
        0.0, min=0.0, max=1.0, help="the share of tickets given a short conversation"
    ),
) -> None:
    """Fill the database with realistic demo tickets."""
    upgrade(get_settings().database_url)
    load_tasks()
    options = SeedOptions(count, batch, random_seed, if_empty, workflow, ai, routed, threads)
    asyncio.run(_seed(options))


if __name__ == "__main__":
    app()
