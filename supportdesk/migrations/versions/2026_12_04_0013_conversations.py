"""The conversation: customers (contacts), a ticket's messages, customers' private links,
the public form's submissions; on tickets, the customer, "waiting on customer" and the
ticket a follow-up follows.

Revision ID: 0013
Revises: 0012
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (column, referred table): added to tickets in place, with their foreign keys.
TICKET_REFERENCES = (("contact_id", "contacts"), ("follow_up_of", "tickets"))


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(200)),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("author_user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column(
            "author_contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="SET NULL")
        ),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("email_message_id", sa.String(998)),
        sa.CheckConstraint("kind IN ('customer', 'reply', 'note')", name="kind_valid"),
        sa.CheckConstraint("length(trim(body)) > 0 AND length(body) <= 20000", name="body_valid"),
    )
    op.create_index("ix_messages_thread", "messages", ["ticket_id", "created_at", "id"])
    op.create_index("ix_messages_email_message_id", "messages", ["email_message_id"], unique=True)
    op.create_table(
        "customer_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.Integer,
            sa.ForeignKey("contacts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_used_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
    )
    op.create_index("ix_customer_links_ticket_id", "customer_links", ["ticket_id"])
    op.create_index("ix_customer_links_contact_id", "customer_links", ["contact_id"])
    op.create_table(
        "public_submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_public_submissions_address_at", "public_submissions", ["address", "at"])

    # ADD COLUMN in place: a copy of the tickets table would drop its triggers (0004).
    # SQLite accepts a foreign key on ADD COLUMN only written into the column's definition.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, referred in TICKET_REFERENCES:
        if sqlite:
            op.execute(
                f"ALTER TABLE tickets ADD COLUMN {column} INTEGER "
                f"REFERENCES {referred} (id) ON DELETE SET NULL"
            )
        else:
            op.add_column("tickets", sa.Column(column, sa.Integer, nullable=True))
            op.create_foreign_key(
                f"fk_tickets_{column}_{referred}",
                "tickets",
                referred,
                [column],
                ["id"],
                ondelete="SET NULL",
            )
        op.create_index(f"ix_tickets_{column}", "tickets", [column])
    op.add_column("tickets", sa.Column("waiting_since", UTCDateTime, nullable=True))
    op.create_index("ix_tickets_waiting_since", "tickets", ["waiting_since"])


def downgrade() -> None:
    op.drop_index("ix_tickets_waiting_since", table_name="tickets")
    op.execute("ALTER TABLE tickets DROP COLUMN waiting_since")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for column, referred in reversed(TICKET_REFERENCES):
        op.drop_index(f"ix_tickets_{column}", table_name="tickets")
        if postgresql:
            op.drop_constraint(f"fk_tickets_{column}_{referred}", "tickets", type_="foreignkey")
        # In place on SQLite >= 3.35 and PostgreSQL alike.
        op.execute(f"ALTER TABLE tickets DROP COLUMN {column}")
    for table in ("public_submissions", "customer_links", "messages", "contacts"):
        op.drop_table(table)
