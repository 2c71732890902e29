"""Every write to the tickets table says so (PostgreSQL): a NOTIFY on `supportdesk_tickets`
at the end of each statement that inserts, updates, deletes or truncates, whichever
process, job or script ran it. Each API process listens (supportdesk/events/broker.py) and
lets the list pages it keeps go. Per statement, not per row: a bulk load or a sweep over
thousands of tickets is one notification, and PostgreSQL sends one per transaction at
commit however many statements there were (equal notifications fold into one). SQLite
has no NOTIFY: there the API keeps no list pages.

Revision ID: 0026
Revises: 0025
Created: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION tickets_written() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('supportdesk_tickets', ''); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER tickets_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tickets "
        "FOR EACH STATEMENT EXECUTE FUNCTION tickets_written()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS tickets_notify ON tickets")
    op.execute("DROP FUNCTION IF EXISTS tickets_written()")
