"""Migration 0007 on SQLite: per-label confidences and the due-soonest index added in place
(triggers survive), and reversible."""

from pathlib import Path

from tests.sqlite_schema import MigratedFile

NEW_COLUMNS = {"ai_category_confidence", "ai_priority_confidence"}


def test_label_confidences_are_added_in_place_and_removed_again(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    before = database.upgrade("0006")

    after = database.upgrade("0007")
    assert after.ticket_columns == before.ticket_columns | NEW_COLUMNS
    assert after.ticket_indexes == before.ticket_indexes | {"ix_tickets_due_open"}
    assert after.triggers == before.triggers and before.triggers  # the table was not copied

    assert database.downgrade("0006") == before
