"""Migration 0007 on SQLite: per-label confidences added in place (triggers survive), and
reversible."""

from pathlib import Path

from alembic import command

from supportdesk.migrate import alembic_config, upgrade
from tests.workflow.test_migration import _schema

NEW_COLUMNS = {"ai_category_confidence", "ai_priority_confidence"}


def test_label_confidences_are_added_in_place_and_removed_again(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0006")
    _, columns_before, _, triggers_before = _schema(path)

    upgrade(url, "0007")
    _, columns, _, triggers = _schema(path)
    assert columns == columns_before | NEW_COLUMNS
    assert triggers == triggers_before and triggers  # the table was not copied

    command.downgrade(alembic_config(url), "0006")
    _, columns, _, triggers = _schema(path)
    assert (columns, triggers) == (columns_before, triggers_before)
