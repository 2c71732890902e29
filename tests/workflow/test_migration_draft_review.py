"""Migration 0010 on SQLite: the drafts' review reason, added in place and removed again."""

from pathlib import Path

from tests.sqlite_schema import MigratedFile


def test_the_review_reason_comes_and_goes(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    before = database.upgrade("0009")
    columns_before = database.columns("ticket_drafts")

    assert database.upgrade("0010").triggers == before.triggers  # the table was not copied
    assert database.columns("ticket_drafts") == columns_before | {"review_reason"}

    assert database.downgrade("0009") == before
    assert database.columns("ticket_drafts") == columns_before
