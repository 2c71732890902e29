"""Migration 0004 on SQLite: added in place (the tickets triggers survive) and reversible."""

from pathlib import Path

import sqlalchemy as sa

from tests.sqlite_schema import MigratedFile

WORKFLOW_TABLES = {"ticket_facts", "ticket_drafts", "ticket_routing"}
NEW_COLUMNS = {"team", "due_at", "sla_breached"}


def test_upgrade_keeps_triggers_and_downgrade_undoes_it(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    path = database.path
    before = database.upgrade("0003")
    after = database.upgrade("0004")
    assert after.tables >= WORKFLOW_TABLES
    assert after.ticket_columns >= NEW_COLUMNS
    assert "ix_tickets_due_at" in after.ticket_indexes
    assert after.triggers == before.triggers and before.triggers  # the table was not copied

    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO tickets (title, description, category, priority, created_at, "
                "updated_at) VALUES ('Refund', 'please refund', 'billing', 'low', "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        row = connection.execute(sa.text("SELECT team, sla_breached FROM tickets")).one()
        assert tuple(row) == (None, 0)
        found = connection.scalar(
            sa.text("SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH 'refund'")
        )
        assert found == 1
    engine.dispose()

    undone = database.downgrade("0003")
    assert not WORKFLOW_TABLES & undone.tables
    assert not NEW_COLUMNS & undone.ticket_columns
    assert undone.triggers == before.triggers
    assert database.upgrade("0004").ticket_columns >= NEW_COLUMNS
