"""Migration 0007 on SQLite: per-label confidences and the due-soonest index added in place
(triggers survive), and reversible."""

from pathlib import Path

from alembic import command

from supportdesk.migrate import alembic_config, upgrade
from tests.sqlite_schema import read_schema

NEW_COLUMNS = {"ai_category_confidence", "ai_priority_confidence"}


def test_label_confidences_are_added_in_place_and_removed_again(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0006")
    before = read_schema(path)

    upgrade(url, "0007")
    after = read_schema(path)
    assert after.ticket_columns == before.ticket_columns | NEW_COLUMNS
    assert after.ticket_indexes == before.ticket_indexes | {"ix_tickets_due_open"}
    assert after.triggers == before.triggers and before.triggers  # the table was not copied

    command.downgrade(alembic_config(url), "0006")
    assert read_schema(path) == before
