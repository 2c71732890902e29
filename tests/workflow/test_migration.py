"""Migration 0004 on SQLite: added in place (the tickets triggers survive) and reversible."""

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from supportdesk.migrate import alembic_config, upgrade

WORKFLOW_TABLES = {"ticket_facts", "ticket_drafts", "ticket_routing"}
NEW_COLUMNS = {"team", "due_at", "sla_breached"}


def _schema(path: Path) -> tuple[set[str], set[str], set[str], set[str]]:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        tables = set(inspector.get_table_names())
        columns = {c["name"] for c in inspector.get_columns("tickets")}
        indexes = {i["name"] or "" for i in inspector.get_indexes("tickets")}
        triggers = set(
            connection.scalars(
                sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
        )
    engine.dispose()
    return tables, columns, indexes, triggers


def test_upgrade_keeps_triggers_and_downgrade_undoes_it(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0003")
    _, _, _, triggers_before = _schema(path)
    upgrade(url, "0004")
    tables, columns, indexes, triggers = _schema(path)
    assert tables >= WORKFLOW_TABLES
    assert columns >= NEW_COLUMNS
    assert "ix_tickets_due_at" in indexes
    assert triggers == triggers_before and triggers  # the table was not copied

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

    command.downgrade(alembic_config(url), "0003")
    tables, columns, indexes, triggers = _schema(path)
    assert not WORKFLOW_TABLES & tables
    assert not NEW_COLUMNS & columns
    assert triggers == triggers_before
    upgrade(url, "0004")
    assert _schema(path)[1] >= NEW_COLUMNS
