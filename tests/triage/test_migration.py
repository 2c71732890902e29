"""Migration 0008 on SQLite: the escalation counts table, and each LLM call's attempt and
error, added in place and removed again."""

from pathlib import Path

from tests.sqlite_schema import MigratedFile


def test_escalation_counts_and_call_details_come_and_go(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    before = database.upgrade("0007")
    columns_before = database.columns("triage_provider_calls")

    assert database.upgrade("0008").tables == before.tables | {"triage_escalation_counts"}
    assert database.columns("triage_provider_calls") == columns_before | {"attempt", "error"}

    assert database.downgrade("0007") == before
    assert database.columns("triage_provider_calls") == columns_before
