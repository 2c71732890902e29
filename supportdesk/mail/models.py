"""The outbox (every email we send, rendered when its cause was written, sent by a job)
and the inbox (every email that reached us, kept raw for audit, and what became of it).
The inbox feature reads and files what arrives; both sides thread by these Message-IDs."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow


class Delivery(StrEnum):
    QUEUED = "queued"  # waiting for its job (or for a retry after a passing failure)
    CONNECTING = "connecting"  # a job is talking to the server; the message is not sent yet
    SENDING = "sending"  # the message itself is on its way: from here, never sent again
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # the server refused it for good (5xx)
    # A job died while the server may already have had the whole message: not sent again
    # (never twice), left for a person to check.
    UNCONFIRMED = "unconfirmed"


class OutboundEmail(Base):
    __tablename__ = "outbound_emails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Ours, made when queued: the same on every attempt, and what replies name to thread.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True
    )
    sender: Mapped[str] = mapped_column(String(320))
    to: Mapped[list[str]] = mapped_column(JSON)
    cc: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[str | None] = mapped_column(String(255), nullable=True)
    references: Mapped[list[str]] = mapped_column(JSON)
    # Sent by the system, not a person (an acknowledgement): marked so (RFC 3834) that
    # the other side's auto-replies do not answer it.
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=Delivery.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Arrival(StrEnum):
    RECEIVED = "received"  # kept, waiting for its job
    ADDED = "added"  # joined its ticket's thread
    REOPENED = "reopened"  # joined its ticket and reopened it
    OPENED = "opened"  # opened a new ticket (perhaps linked to the one it answered)
    IGNORED = "ignored"  # an auto-reply, bounce or loop: never answered
    THROTTLED = "throttled"  # its sender sent too many in the last hour
    REFUSED = "refused"  # over the size limit: the sender's server was told why


class InboundEmail(Base):
    __tablename__ = "inbound_emails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The Message-ID (or, without one, the raw bytes' hash), hashed: the same email
    # fetched twice, or retried by its server, is kept once.
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), nullable=True)
    via: Mapped[str] = mapped_column(String(16))  # smtp, imap, webhook
    sender: Mapped[str] = mapped_column(String(320))  # the From address (lower-cased)
    subject: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # None: refused
    status: Mapped[str] = mapped_column(String(16), default=Arrival.RECEIVED.value)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why ignored, refused...
    html: Mapped[str | None] = mapped_column(Text, nullable=True)  # sanitised
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True
    )
    conversation_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), nullable=True
    )
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        Index("ix_inbound_emails_message_id", "message_id"),
        Index("ix_inbound_emails_sender_received", "sender", "received_at"),
        Index("ix_inbound_emails_ticket", "ticket_id"),
    )
