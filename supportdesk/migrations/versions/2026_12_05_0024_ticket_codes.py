"""Codes (order numbers, invoice ids, versions: a run of letters and digits joined by
`-_./#`, with a digit in it) as whole words of their own index. The text index splits
`ORD-29121` into `ord` and `-29121`, so a search for it went to the description's trigram
index, where `ord`, `rd-` and the digits' trigrams are in a good share of all tickets: at
a million tickets most of a rare search's time. A code is found from its start.

Revision ID: 0024
Revises: 0023
Created: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same pattern as supportdesk/tickets/search.py's CODE (a migration keeps its own).
POSTGRES_CODES = [
    r"""CREATE FUNCTION ticket_codes(title text, description text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN title || description !~ '[0-9]' THEN ''::tsvector ELSE (
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT code[1])), ''::tsvector)
        FROM regexp_matches(
          lower(title || ' ' || description), '([a-z0-9]+(?:[-_./#][a-z0-9]+)+)', 'g'
        ) AS code
        WHERE code[1] ~ '[0-9]'
      ) END
    $$""",
    "CREATE INDEX ix_tickets_codes ON tickets USING gin (ticket_codes(title, description))",
    # The index's statistics, now: without them the planner guesses a code matches one
    # ticket in fifty and walks the newest-first index, working out codes row by row.
    "ANALYZE tickets",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_CODES:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_tickets_codes")
        op.execute("DROP FUNCTION IF EXISTS ticket_codes(text, text)")
