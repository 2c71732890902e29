"""The ticket page's changes: every write to a table the page reads adds a row naming the
ticket it changed, by triggers, so a page built once can be served again while the rows
for its ticket stay the same (tests/workspace/test_page_cache.py checks this list against
what the page reads).

Rows are only ever inserted by writers, never updated: two transactions writing the same
ticket take no lock on each other's rows, so these triggers cannot deadlock anything (a
counter row per ticket, bumped by upserts, did: a ticket's PATCH against the SLA sweep).
A ticket's version is its rows' newest time and their count: a transaction that commits
after one that began later adds a row, so the count moves even when the newest time does
not. `at` is in microseconds since 1970, so a table emptied and filled again never gives
a version seen before. On PostgreSQL the triggers run once per statement over its rows (a
COPY of a million messages is one insert of its tickets); on SQLite once per row. People's
names and contacts' details are on every page: their real changes add a row for ticket 0.

Revision ID: 0025
Revises: 0024
Created: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the page reads, and the tickets a row of each belongs to.
TICKET_COLUMNS = {
    "tickets": ("id", "duplicate_of"),  # a merged ticket's conversation is on its target's
    "messages": ("ticket_id",),
    "attachments": ("ticket_id",),
    "thread_summaries": ("ticket_id",),
    "inbound_emails": ("ticket_id",),
    "outbound_emails": ("ticket_id",),
    "audit_events": ("ticket_id",),
    "ticket_facts": ("ticket_id",),
    "ticket_routing": ("ticket_id",),
    "ticket_drafts": ("ticket_id",),
}
# People's names and details on every page: a change adds a row for ticket 0, which every
# page reads. Only a real change: a contact filed again with the same name changes nothing.
EVERYONE_COLUMNS = {"users": ("name",), "contacts": ("email", "name", "organisation")}

POSTGRES_NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
POSTGRES_CHANGED = f"""
CREATE FUNCTION ticket_page_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- The statement's rows (transition tables): inserted, deleted, or both sides of updates.
  touched text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM changed'
    WHEN 'DELETE' THEN 'SELECT * FROM gone'
    ELSE 'SELECT * FROM changed UNION ALL SELECT * FROM gone' END;
BEGIN
  -- TG_ARGV[0]: an array of the ticket ids a row names, over its columns.
  EXECUTE format(
    'INSERT INTO ticket_page_changes (ticket_id, at)
     SELECT ticket, {POSTGRES_NOW_US} FROM (SELECT DISTINCT unnest(%s) AS ticket FROM (%s) AS r) AS t
     WHERE ticket IS NOT NULL',
    TG_ARGV[0], touched);
  RETURN NULL;
END $$"""
POSTGRES_EVERYONE_CHANGED = f"""
CREATE FUNCTION ticket_page_everyone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_page_changes (ticket_id, at) VALUES (0, {POSTGRES_NOW_US});
  RETURN NULL;
END $$"""
TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS changed",
    "update": "REFERENCING NEW TABLE AS changed OLD TABLE AS gone",
    "delete": "REFERENCING OLD TABLE AS gone",
}


def _really_changed(columns: tuple[str, ...], differs: str) -> str:
    return " OR ".join(f"old.{c} {differs} new.{c}" for c in columns)


def _postgres() -> list[str]:
    statements = [POSTGRES_CHANGED, POSTGRES_EVERYONE_CHANGED]
    for table, columns in TICKET_COLUMNS.items():
        ids = f"ARRAY[{', '.join(columns)}]"
        for event, transition in TRANSITIONS.items():
            statements.append(
                f"CREATE TRIGGER {table}_page_{event} AFTER {event.upper()} ON {table} "
                f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION ticket_page_changed('{ids}')"
            )
    for table, columns in EVERYONE_COLUMNS.items():
        statements += [
            f"CREATE TRIGGER {table}_page_update AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({_really_changed(columns, 'IS DISTINCT FROM')}) "
            "EXECUTE FUNCTION ticket_page_everyone_changed()",
            f"CREATE TRIGGER {table}_page_delete AFTER DELETE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION ticket_page_everyone_changed()",
        ]
    return statements


SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _sqlite_changed(ticket: str) -> str:
    return (
        f"INSERT INTO ticket_page_changes (ticket_id, at) SELECT {ticket}, {SQLITE_NOW_US} "
        f"WHERE {ticket} IS NOT NULL;"
    )


def _sqlite() -> list[str]:
    statements = []
    for table, columns in TICKET_COLUMNS.items():
        rows = {"insert": ("new",), "update": ("new", "old"), "delete": ("old",)}
        for event, sides in rows.items():
            inserts = " ".join(_sqlite_changed(f"{side}.{c}") for side in sides for c in columns)
            statements.append(
                f"CREATE TRIGGER {table}_page_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {inserts} END"
            )
    for table, columns in EVERYONE_COLUMNS.items():
        # IS NOT: SQLite's comparison that treats nulls as values, in every version.
        statements += [
            f"CREATE TRIGGER {table}_page_update AFTER UPDATE ON {table} "
            f"WHEN {_really_changed(columns, 'IS NOT')} BEGIN {_sqlite_changed('0')} END",
            f"CREATE TRIGGER {table}_page_delete AFTER DELETE ON {table} "
            f"BEGIN {_sqlite_changed('0')} END",
        ]
    return statements


def upgrade() -> None:
    op.create_table(
        "ticket_page_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_ticket_page_changes_ticket", "ticket_page_changes", ["ticket_id", "at"])
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgres() if postgresql else _sqlite():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in [*TICKET_COLUMNS, *EVERYONE_COLUMNS]:
        for event in TRANSITIONS:
            on = f" ON {table}" if postgresql else ""
            op.execute(f"DROP TRIGGER IF EXISTS {table}_page_{event}{on}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS ticket_page_changed()")
        op.execute("DROP FUNCTION IF EXISTS ticket_page_everyone_changed()")
    op.drop_table("ticket_page_changes")
