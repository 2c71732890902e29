"""Migration 0008 on SQLite: the escalation counts table, and each LLM call's attempt and
error, added in place and removed again."""

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command

from supportdesk.migrate import alembic_config, upgrade
from tests.sqlite_schema import read_schema


def call_columns(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        return {row[1] for row in connection.execute("PRAGMA table_info(triage_provider_calls)")}


def test_escalation_counts_and_call_details_come_and_go(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0007")
    before, columns_before = read_schema(path), call_columns(path)

    upgrade(url, "0008")
    assert read_schema(path).tables == before.tables | {"triage_escalation_counts"}
    assert call_columns(path) == columns_before | {"attempt", "error"}

    command.downgrade(alembic_config(url), "0007")
    assert (read_schema(path), call_columns(path)) == (before, columns_before)
