"""`supportdesk move-data --to URL`: every row of this install into another database
(SQLite to PostgreSQL as a team grows, or back), same ids, verified at the end.

- Both databases must be at this version's migration revision (an empty target is
  migrated first). A target that holds rows is refused, unless `resume` continues a move
  that was interrupted: each table then goes on after the highest id it already has (rows
  of tables keyed otherwise are inserted only where missing), so nothing is copied twice.
- Tables go parents first, in batches in key order, each batch in its own transaction.
  The label and day rollups and the page changes are not copied: triggers rebuild them
  on the target, as on any insert. Waiting jobs move as jobs of the target's queue
  (procrastinate's on PostgreSQL, the local table on SQLite); finished ones stay behind.
- At the end every table's row count and a checksum of its rows (their values, typed, in
  key order) must be the same on both sides; PostgreSQL's id sequences are set past the
  highest id copied."""

import hashlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, Table, bindparam, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from supportdesk.db import Database
from supportdesk.jobs.queue import Job, enqueue_all
from supportdesk.migrate import current_revision, head_revision, upgrade_async
from supportdesk.models import metadata

BATCH = 2_000
# Kept by triggers: the target counts them itself as the rows arrive.
DERIVED = {"ticket_label_counts", "ticket_daily_counts", "ticket_page_changes", "local_jobs"}


class MoveRefused(Exception):
    """Why the move did not start; nothing was written."""


@dataclass(frozen=True)
class TableReport:
    table: str
    rows: int
    checksum: str


def tables() -> list[Table]:
    """What moves, parents before children."""
    return [table for table in metadata.sorted_tables if table.name not in DERIVED]


async def count_rows(connection: AsyncConnection, table: Table) -> int:
    return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def check(source: Database, target: Database, target_url: str, resume: bool) -> None:
    """Refuses (MoveRefused) unless both sides are at head and the target is empty (or
    this is a resumed move); migrates an empty target."""
    head = head_revision()
    async with source.engine.connect() as connection:
        found = await current_revision(connection)
    if found != head:
        raise MoveRefused(f"this install is at migration {found}; run `supportdesk migrate` first")
    async with target.engine.connect() as connection:
        found = await current_revision(connection)
    if found is None:
        await upgrade_async(target_url)
    elif found != head:
        raise MoveRefused(f"the target is at migration {found}, this version at {head}")
    async with target.engine.connect() as connection:
        filled = [t.name for t in tables() if await count_rows(connection, t)]
    if filled and not resume:
        raise MoveRefused(
            f"the target already holds rows ({', '.join(filled[:5])}): give an empty database, "
            "or --resume to go on with a move that was interrupted"
        )


def _key(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


def _integer_key(table: Table) -> Any | None:
    key = _key(table)
    return key[0] if len(key) == 1 and isinstance(key[0].type, Integer) else None


async def _batches(
    connection: AsyncConnection, table: Table, after: int | None
) -> AsyncIterator[list[dict[str, Any]]]:
    column = _integer_key(table)
    statement = select(table).order_by(*_key(table))
    if column is not None and after is not None:
        statement = statement.where(column > after)
    result = await connection.stream(statement.execution_options(yield_per=BATCH))
    async for partition in result.mappings().partitions(BATCH):
        yield [dict(row) for row in partition]


def _insert(target: Database, table: Table, keyed_by_integer: bool) -> Any:
    if keyed_by_integer:
        return insert(table)
    dialect: Any = postgresql if target.dialect == "postgresql" else sqlite
    names = [column.name for column in _key(table)]
    return dialect.insert(table).on_conflict_do_nothing(index_elements=names)


async def copy_table(
    source: Database, target: Database, table: Table, advance: Callable[[int], None]
) -> int:
    """Rows of one table not on the target yet; how many were copied."""
    column = _integer_key(table)
    after = None
    if column is not None:
        async with target.engine.connect() as connection:
            after = await connection.scalar(select(func.max(column)))
    copied = 0
    statement = _insert(target, table, column is not None)
    # A row may name a row further on (a ticket merged into a newer one): such links are
    # left empty while the rows go in, and set once they are all there.
    links = _self_references(table)
    async with source.engine.connect() as reading:
        async for rows in _batches(reading, table, after):
            async with target.engine.begin() as writing:
                await writing.execute(statement, [row | dict.fromkeys(links) for row in rows])
            copied += len(rows)
            advance(len(rows))
    if links and column is not None:
        await _link(source, target, table, column, links)
    return copied


async def _link(
    source: Database, target: Database, table: Table, column: Any, links: list[str]
) -> None:
    named = select(column, *(table.c[name] for name in links)).where(
        or_(*(table.c[name].is_not(None) for name in links))
    )
    async with source.engine.connect() as reading:
        rows = [dict(row) for row in (await reading.execute(named)).mappings()]
    if not rows:
        return
    # Columns set on every update (`updated_at`) keep the value they came with.
    kept = {c.name: c for c in table.columns if c.onupdate is not None}
    setting = (
        update(table)
        .where(column == bindparam("row_key"))
        .values({name: bindparam(f"new_{name}") for name in links} | kept)
    )
    values = [{"row_key": row[column.name], **{f"new_{n}": row[n] for n in links}} for row in rows]
    async with target.engine.begin() as writing:
        await writing.execute(setting, values)


def _self_references(table: Table) -> list[str]:
    """Columns that name another row of the same table."""
    return [
        column.name
        for column in table.columns
        if any(key.column.table is table for key in column.foreign_keys)
    ]


async def move_jobs(source: Database, target: Database) -> int:
    """Jobs still waiting on the source, queued on the target."""
    if source.dialect == "postgresql":
        sql = "SELECT task_name, args FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id"
    else:
        sql = "SELECT task, args FROM local_jobs WHERE status = 'todo' ORDER BY id"
    async with source.engine.connect() as connection:
        waiting = [
            Job(task, args if isinstance(args, dict) else json.loads(args))
            for task, args in await connection.execute(text(sql))
        ]
    async with target.sessions() as session, session.begin():
        for start in range(0, len(waiting), BATCH):
            await enqueue_all(session, waiting[start : start + BATCH])
    return len(waiting)


async def reset_sequences(target: Database) -> None:
    if target.dialect != "postgresql":
        return  # SQLite's next rowid follows the highest one
    async with target.engine.begin() as connection:
        for table in tables():
            column = _integer_key(table)
            if column is None or not column.autoincrement:
                continue
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"
                )
            )


def _plain(value: Any) -> Any:
    """A value as both databases give it back alike."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, float):
        return repr(round(value, 9))
    return value


async def checksum(database: Database, table: Table) -> TableReport:
    digest, rows = hashlib.sha256(), 0
    async with database.engine.connect() as connection:
        async for batch in _batches(connection, table, None):
            for row in batch:
                plain = {k: _plain(v) for k, v in row.items()}
                line = json.dumps(plain, sort_keys=True, default=str)
                digest.update(line.encode() + b"\n")
            rows += len(batch)
    return TableReport(table.name, rows, digest.hexdigest())


async def verify(source: Database, target: Database) -> list[str]:
    """The tables whose rows differ (empty: the move is whole)."""
    differing = []
    for table in tables():
        if await checksum(source, table) != await checksum(target, table):
            differing.append(table.name)
    return differing
