"""The ticket page's version: `ticket_versions` moves on every write to a table the page
reads, by triggers, so a page built once can be served again until something on it changes
(tests/workspace/test_page_cache.py checks this list against what the page reads).

A version is when the page last changed, in microseconds since 1970, and at least one more
than before: it only grows, even across a database emptied and filled again (a cached page
never matches a version given after it). On PostgreSQL the triggers run once per statement
over its rows (a COPY of a million messages is one upsert, not a million); on SQLite once
per row.

Revision ID: 0024
Revises: 0023
Created: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
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
# People's names and details on every page: a change moves row 0, which every page reads.
EVERYONE_COLUMNS = {"users": ("name",), "contacts": ("email", "name", "organisation")}

NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
NEXT = "version = greatest(ticket_versions.version + 1, excluded.version)"
POSTGRES_BUMP = f"""
CREATE FUNCTION ticket_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- The statement's rows (transition tables): inserted, deleted, or both sides of updates.
  touched text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM changed'
    WHEN 'DELETE' THEN 'SELECT * FROM gone'
    ELSE 'SELECT * FROM changed UNION ALL SELECT * FROM gone' END;
BEGIN
  -- TG_ARGV[0]: an array of the ticket ids a row names, over its columns.
  EXECUTE format(
    'INSERT INTO ticket_versions (ticket_id, version)
     SELECT ticket, {NOW_US} FROM (SELECT DISTINCT unnest(%s) AS ticket FROM (%s) AS r) AS t
     WHERE ticket IS NOT NULL
     ON CONFLICT (ticket_id) DO UPDATE SET {NEXT}',
    TG_ARGV[0], touched);
  RETURN NULL;
END $$"""
POSTGRES_BUMP_EVERYONE = f"""
CREATE FUNCTION ticket_versions_bump_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_versions (ticket_id, version) VALUES (0, {NOW_US})
  ON CONFLICT (ticket_id) DO UPDATE SET {NEXT};
  RETURN NULL;
END $$"""
TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS changed",
    "update": "REFERENCING NEW TABLE AS changed OLD TABLE AS gone",
    "delete": "REFERENCING OLD TABLE AS gone",
}


def _postgres() -> list[str]:
    statements = [POSTGRES_BUMP, POSTGRES_BUMP_EVERYONE]
    for table, columns in TICKET_COLUMNS.items():
        ids = f"ARRAY[{', '.join(columns)}]"
        for event, transition in TRANSITIONS.items():
            statements.append(
                f"CREATE TRIGGER {table}_version_{event} AFTER {event.upper()} ON {table} "
                f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION ticket_versions_bump('{ids}')"
            )
    for table, columns in EVERYONE_COLUMNS.items():
        statements.append(
            f"CREATE TRIGGER {table}_version_everyone "
            f"AFTER UPDATE OF {', '.join(columns)} OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ticket_versions_bump_everyone()"
        )
    return statements


# julianday's 'now' is to the millisecond: `max(version + 1, ...)` keeps versions growing.
SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _sqlite_bump(ticket: str) -> str:
    # WHERE: an upsert from a SELECT needs one (SQLite's parser), and a null names no ticket.
    return (
        f"INSERT INTO ticket_versions (ticket_id, version) SELECT {ticket}, {SQLITE_NOW_US} "
        f"WHERE {ticket} IS NOT NULL "
        "ON CONFLICT (ticket_id) DO UPDATE SET version = max(version + 1, excluded.version);"
    )


def _sqlite() -> list[str]:
    statements = []
    for table, columns in TICKET_COLUMNS.items():
        rows = {"insert": ("new",), "update": ("new", "old"), "delete": ("old",)}
        for event, sides in rows.items():
            bumps = " ".join(_sqlite_bump(f"{side}.{c}") for side in sides for c in columns)
            statements.append(
                f"CREATE TRIGGER {table}_version_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {bumps} END"
            )
    for table, columns in EVERYONE_COLUMNS.items():
        for event in (f"UPDATE OF {', '.join(columns)}", "DELETE"):
            name = f"{table}_version_everyone_{event.split()[0].lower()}"
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {_sqlite_bump('0')} END"
            )
    return statements


def upgrade() -> None:
    op.create_table(
        "ticket_versions",
        sa.Column("ticket_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgres() if postgresql else _sqlite():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in [*TICKET_COLUMNS, *EVERYONE_COLUMNS]:
        if postgresql:
            for name in (
                *(f"{table}_version_{e}" for e in TRANSITIONS),
                f"{table}_version_everyone",
            ):
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            for suffix in (*TRANSITIONS, "everyone_update", "everyone_delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_version_{suffix}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS ticket_versions_bump()")
        op.execute("DROP FUNCTION IF EXISTS ticket_versions_bump_everyone()")
    op.drop_table("ticket_versions")
