"""Tickets, label/day rollups kept by triggers, and full-text search.

Revision ID: 0001
Revises:
Created: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.taxonomy import Category, LabelSource, Priority, Status
from supportdesk.tickets.models import one_of
from supportdesk.types import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Each string is one statement: trigger bodies contain semicolons, so no splitting.
POSTGRES_SEARCH = [
    """ALTER TABLE tickets ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', description), 'B')
    ) STORED""",
    "CREATE INDEX ix_tickets_search ON tickets USING gin (search_vector)",
]

POSTGRES_ROLLUP = [
    """CREATE FUNCTION tickets_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE ticket_label_counts SET n = n - 1
            WHERE category = OLD.category AND priority = OLD.priority AND status = OLD.status
              AND ai_category = COALESCE(OLD.ai_category, '')
              AND ai_priority = COALESCE(OLD.ai_priority, '');
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ticket_label_counts (category, priority, status, ai_category, ai_priority, n)
            VALUES (NEW.category, NEW.priority, NEW.status,
                    COALESCE(NEW.ai_category, ''), COALESCE(NEW.ai_priority, ''), 1)
            ON CONFLICT (category, priority, status, ai_category, ai_priority)
            DO UPDATE SET n = ticket_label_counts.n + 1;
        END IF;
        IF TG_OP = 'INSERT' THEN
            INSERT INTO ticket_daily_counts (day, n)
            VALUES ((NEW.created_at AT TIME ZONE 'UTC')::date, 1)
            ON CONFLICT (day) DO UPDATE SET n = ticket_daily_counts.n + 1;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE ticket_daily_counts SET n = n - 1
            WHERE day = (OLD.created_at AT TIME ZONE 'UTC')::date;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER tickets_rollup
    AFTER INSERT OR DELETE OR UPDATE OF category, priority, status, ai_category, ai_priority
    ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_rollup()""",
]

SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE tickets_fts USING fts5(
        title, description, content='tickets', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_fts (rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_fts (tickets_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    """CREATE TRIGGER tickets_fts_update AFTER UPDATE OF title, description ON tickets BEGIN
        INSERT INTO tickets_fts (tickets_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO tickets_fts (rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
]

SQLITE_ADD = """
    INSERT INTO ticket_label_counts (category, priority, status, ai_category, ai_priority, n)
    VALUES (new.category, new.priority, new.status,
            COALESCE(new.ai_category, ''), COALESCE(new.ai_priority, ''), 1)
    ON CONFLICT (category, priority, status, ai_category, ai_priority) DO UPDATE SET n = n + 1;"""
SQLITE_REMOVE = """
    UPDATE ticket_label_counts SET n = n - 1
    WHERE category = old.category AND priority = old.priority AND status = old.status
      AND ai_category = COALESCE(old.ai_category, '') AND ai_priority = COALESCE(old.ai_priority, '');"""
SQLITE_ROLLUP = [
    f"""CREATE TRIGGER tickets_rollup_insert AFTER INSERT ON tickets BEGIN {SQLITE_ADD}
        INSERT INTO ticket_daily_counts (day, n) VALUES (date(new.created_at), 1)
        ON CONFLICT (day) DO UPDATE SET n = n + 1;
    END""",
    f"""CREATE TRIGGER tickets_rollup_update
    AFTER UPDATE OF category, priority, status, ai_category, ai_priority ON tickets BEGIN {SQLITE_REMOVE} {SQLITE_ADD}
    END""",
    f"""CREATE TRIGGER tickets_rollup_delete AFTER DELETE ON tickets BEGIN {SQLITE_REMOVE}
        UPDATE ticket_daily_counts SET n = n - 1 WHERE day = date(old.created_at);
    END""",
]


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default=Status.OPEN.value),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime, nullable=True),
        sa.Column("category_source", sa.String(8), nullable=False, server_default="user"),
        sa.Column("priority_source", sa.String(8), nullable=False, server_default="user"),
        sa.Column("ai_category", sa.String(16), nullable=True),
        sa.Column("ai_priority", sa.String(16), nullable=True),
        sa.Column("ai_confidence", sa.Float, nullable=True),
        sa.Column("ai_reasoning", sa.Text, nullable=True),
        sa.Column("ai_provider", sa.String(64), nullable=True),
        sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.CheckConstraint("length(trim(title)) > 0 AND length(title) <= 200", name="title_valid"),
        sa.CheckConstraint("length(trim(description)) > 0", name="description_not_blank"),
        sa.CheckConstraint(one_of("category", Category), name="category_valid"),
        sa.CheckConstraint(one_of("priority", Priority), name="priority_valid"),
        sa.CheckConstraint(one_of("status", Status), name="status_valid"),
        sa.CheckConstraint(one_of("category_source", LabelSource), name="category_source_valid"),
        sa.CheckConstraint(one_of("priority_source", LabelSource), name="priority_source_valid"),
        sa.CheckConstraint(
            f"ai_category IS NULL OR {one_of('ai_category', Category)}", name="ai_category_valid"
        ),
        sa.CheckConstraint(
            f"ai_priority IS NULL OR {one_of('ai_priority', Priority)}", name="ai_priority_valid"
        ),
    )
    op.create_index(
        "ix_tickets_newest", "tickets", [sa.text("created_at DESC"), sa.text("id DESC")]
    )
    for column in ("status", "category", "priority"):
        op.create_index(
            f"ix_tickets_{column}_newest", "tickets", [column, sa.text("created_at DESC")]
        )
    op.create_table(
        "ticket_label_counts",
        sa.Column("category", sa.String(16), primary_key=True),
        sa.Column("priority", sa.String(16), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("ai_category", sa.String(16), primary_key=True),
        sa.Column("ai_priority", sa.String(16), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "ticket_daily_counts",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False, server_default="0"),
    )
    if op.get_bind().dialect.name == "postgresql":
        statements = POSTGRES_SEARCH + POSTGRES_ROLLUP
    else:
        statements = SQLITE_SEARCH + SQLITE_ROLLUP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tickets_rollup ON tickets")
        op.execute("DROP FUNCTION IF EXISTS tickets_rollup()")
    else:
        op.execute("DROP TABLE IF EXISTS tickets_fts")
    op.drop_table("ticket_daily_counts")
    op.drop_table("ticket_label_counts")
    op.drop_table("tickets")
