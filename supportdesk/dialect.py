"""What differs between PostgreSQL and SQLite, decided in one place: which one a session
talks to, the upsert (`INSERT .. ON CONFLICT .. DO UPDATE`) each spells alike but
SQLAlchemy builds per dialect, bulk loads (PostgreSQL's COPY, SQLite's executemany), and
a match against thousands of ids."""

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, Table, TextClause, any_, bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from supportdesk.db import Base, Database


def is_postgresql(where: AsyncSession | Database) -> bool:
    """Whether this session (or database) is PostgreSQL; otherwise it is SQLite."""
    if isinstance(where, Database):
        return where.dialect == "postgresql"
    return where.get_bind().dialect.name == "postgresql"


def upsert(
    session: AsyncSession,
    table: type[Base] | Table,
    *,
    key: Sequence[str],
    replace: Iterable[str] = (),
    add: Iterable[str] = (),
    where: ColumnElement[bool] | TextClause | None = None,
) -> Insert:
    """An INSERT that, when a row with the same `key` exists, updates it instead: the
    `replace` columns take the new row's values, the `add` columns add them to the stored
    ones (counters), and only where `where` holds. Rows go in as execute parameters."""
    insert: Any = postgresql.insert if is_postgresql(session) else sqlite.insert
    statement = insert(table)
    columns = table.c if isinstance(table, Table) else table.__table__.c
    changes = {name: statement.excluded[name] for name in replace}
    changes |= {name: columns[name] + statement.excluded[name] for name in add}
    result: Insert = statement.on_conflict_do_update(
        index_elements=list(key), set_=changes, where=where
    )
    return result


async def insert_rows(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Rows (all with the same keys) into the table, in the session's transaction, no ids
    returned: PostgreSQL's binary COPY, the driver's executemany on SQLite."""
    if not rows:
        return
    if not is_postgresql(session):
        await session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    connection = await (await session.connection()).get_raw_connection()
    await connection.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        table.name, columns=columns, records=[tuple(row[c] for c in columns) for row in rows]
    )


def among(session: AsyncSession, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL as one array parameter, since thousands of ids
    otherwise become thousands of parameters rendered into the statement each time."""
    if is_postgresql(session):
        array = bindparam(None, list(ids), type_=postgresql.ARRAY(Integer))
        return column == any_(array)  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]
