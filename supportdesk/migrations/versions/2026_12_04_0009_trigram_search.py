"""Trigram indexes, so a fragment inside a word finds it: "fund" finds "refund", part of
an order id or of an email address finds the ticket.

Revision ID: 0009
Revises: 0008
Created: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_TRIGRAMS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_tickets_title_trgm ON tickets USING gin (title gin_trgm_ops)",
    "CREATE INDEX ix_tickets_description_trgm ON tickets USING gin (description gin_trgm_ops)",
]

# Kept by triggers like tickets_fts (0001), beside it: the tickets table is not copied.
SQLITE_TRIGRAMS = [
    """CREATE VIRTUAL TABLE tickets_trigram USING fts5(
        title, description, content='tickets', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER tickets_trigram_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_trigram (rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER tickets_trigram_delete AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_trigram (tickets_trigram, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    """CREATE TRIGGER tickets_trigram_update AFTER UPDATE OF title, description ON tickets
    BEGIN
        INSERT INTO tickets_trigram (tickets_trigram, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO tickets_trigram (rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    "INSERT INTO tickets_trigram (tickets_trigram) VALUES ('rebuild')",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_TRIGRAMS if postgres else SQLITE_TRIGRAMS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_tickets_description_trgm")
        op.execute("DROP INDEX IF EXISTS ix_tickets_title_trgm")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS tickets_trigram_{trigger}")
        op.execute("DROP TABLE IF EXISTS tickets_trigram")
