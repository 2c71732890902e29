"""What a SQLite database's catalogue holds, for the migration tests (which check that the
tickets table is altered in place: a copy would drop its triggers)."""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from alembic import command

from supportdesk.migrate import alembic_config, upgrade


@dataclass(frozen=True)
class Schema:
    tables: set[str]
    ticket_columns: set[str]
    ticket_indexes: set[str]  # expression indexes too, which SQLAlchemy cannot reflect
    triggers: set[str]


def read_schema(path: Path) -> Schema:
    with closing(sqlite3.connect(path)) as connection:

        def names(kind: str, table: str | None = None) -> set[str]:
            query = "SELECT name FROM sqlite_master WHERE type = ?"
            args: tuple[str, ...] = (kind,)
            if table is not None:
                query, args = query + " AND tbl_name = ?", (kind, table)
            return {name for (name,) in connection.execute(query, args)}

        columns = {row[1] for row in connection.execute("PRAGMA table_info(tickets)")}
        return Schema(names("table"), columns, names("index", "tickets"), names("trigger"))


@dataclass(frozen=True)
class MigratedFile:
    """A SQLite file moved revision by revision, its catalogue read in between."""

    path: Path

    @property
    def url(self) -> str:
        return f"sqlite+aiosqlite:///{self.path}"

    def upgrade(self, revision: str) -> Schema:
        upgrade(self.url, revision)
        return read_schema(self.path)

    def downgrade(self, revision: str) -> Schema:
        command.downgrade(alembic_config(self.url), revision)
        return read_schema(self.path)

    def columns(self, table: str) -> set[str]:
        with closing(sqlite3.connect(self.path)) as connection:
            return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}

    def rows(self, table: str) -> list[tuple[object, ...]]:
        with closing(sqlite3.connect(self.path)) as connection:
            return connection.execute(f"SELECT * FROM {table}").fetchall()
