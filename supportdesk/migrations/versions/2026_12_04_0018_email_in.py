"""Email in: every email received (raw, and what became of it), attachments of
customers' messages, the people copied on a ticket; outgoing emails sent by the system
are marked; jobs run by priority on SQLite too (as procrastinate's do).

Revision ID: 0018
Revises: 0017
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_emails",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dedupe_key", sa.String(64), nullable=False, unique=True),
        sa.Column("message_id", sa.String(998)),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("html", sa.Text),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="SET NULL")),
        sa.Column(
            "conversation_message_id",
            sa.Integer,
            sa.ForeignKey("messages.id", ondelete="SET NULL"),
        ),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("processed_at", UTCDateTime),
    )
    op.create_index("ix_inbound_emails_message_id", "inbound_emails", ["message_id"])
    op.create_index(
        "ix_inbound_emails_sender_received", "inbound_emails", ["sender", "received_at"]
    )
    op.create_index("ix_inbound_emails_ticket", "inbound_emails", ["ticket_id"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE")),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content_id", sa.String(255)),
        sa.Column("inline", sa.Boolean, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_attachments_ticket", "attachments", ["ticket_id", "message_id"])
    op.create_table(
        "ticket_ccs",
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.add_column(
        "outbound_emails",
        sa.Column("automatic", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's jobs are procrastinate's
        op.add_column(
            "local_jobs", sa.Column("priority", sa.Integer, nullable=False, server_default="0")
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE local_jobs DROP COLUMN priority")
    op.execute("ALTER TABLE outbound_emails DROP COLUMN automatic")
    op.drop_table("ticket_ccs")
    op.drop_table("attachments")
    op.drop_table("inbound_emails")
