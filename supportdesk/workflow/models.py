"""Workflow tables: a ticket's extracted facts, routing decision and reply draft.

One row per ticket in each (the ticket id is the key), replaced when the workflow runs
again. The ticket's own `team`, `due_at` and `sla_breached` live on `tickets`, where the
list can filter and sort by them.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow

TONES = ("friendly", "formal", "empathetic")
SOURCES = ("template", "llm")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _ticket_key() -> Mapped[int]:
    return mapped_column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)


class TicketFacts(Base):
    __tablename__ = "ticket_facts"

    ticket_id: Mapped[int] = _ticket_key()
    # [{"name", "value", "confidence", "valid", "reason", "raw"}, ...]
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    extracted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketDraft(Base):
    __tablename__ = "ticket_drafts"

    ticket_id: Mapped[int] = _ticket_key()
    content: Mapped[str] = mapped_column(Text)
    tone: Mapped[str] = mapped_column(String(16))
    suggested_actions: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(16))
    # Set when an agent edits the draft: the workflow then leaves it alone.
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why a person must check it before sending (an LLM draft promising money or actions).
    review_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # Shared drafts: an agent marked it ready for a teammate to review before it is sent.
    review_requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(_in("tone", TONES), name="tone_valid"),
        CheckConstraint(_in("source", SOURCES), name="source_valid"),
        Index("ix_ticket_drafts_review", "review_requested_at"),
    )


class TicketRouting(Base):
    __tablename__ = "ticket_routing"

    ticket_id: Mapped[int] = _ticket_key()
    team: Mapped[str] = mapped_column(String(48))
    alternatives: Mapped[list[str]] = mapped_column(JSON)
    reasoning: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
