"""Migration 0007 on SQLite: per-label confidences and the due-soonest index added in place
(triggers survive), and reversible."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command

from supportdesk.migrate import alembic_config, upgrade
from tests.workflow.test_migration import _schema

NEW_COLUMNS = {"ai_category_confidence", "ai_priority_confidence"}


# SQLAlchemy cannot reflect the expression index 0007 adds; the test reads columns.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_label_confidences_are_added_in_place_and_removed_again(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0006")
    _, columns_before, _, triggers_before = _schema(path)

    upgrade(url, "0007")
    _, columns, _, triggers = _schema(path)
    assert columns == columns_before | NEW_COLUMNS
    assert triggers == triggers_before and triggers  # the table was not copied
    assert _index_names(path) >= {"ix_tickets_due_open"}

    command.downgrade(alembic_config(url), "0006")
    _, columns, _, triggers = _schema(path)
    assert (columns, triggers) == (columns_before, triggers_before)
    assert "ix_tickets_due_open" not in _index_names(path)


def _index_names(path: Path) -> set[str]:
    # The inspector skips expression indexes; SQLite's catalogue lists them all.
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in rows}
