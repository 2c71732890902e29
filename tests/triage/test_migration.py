"""Migration 0008 on SQLite: the escalation counts table, and each LLM call's attempt and
error, added in place and removed again."""

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.sqlite_schema import MigratedFile


def call_columns(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        return {row[1] for row in connection.execute("PRAGMA table_info(triage_provider_calls)")}


def test_escalation_counts_and_call_details_come_and_go(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    before = database.upgrade("0007")
    columns_before = call_columns(database.path)

    assert database.upgrade("0008").tables == before.tables | {"triage_escalation_counts"}
    assert call_columns(database.path) == columns_before | {"attempt", "error"}

    assert database.downgrade("0007") == before
    assert call_columns(database.path) == columns_before
