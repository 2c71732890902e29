"""The outbox: every email we send, rendered when its cause was written, sent by a job."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
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
    status: Mapped[str] = mapped_column(String(16), default=Delivery.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
