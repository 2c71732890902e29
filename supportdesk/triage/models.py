"""Triage tables: trained model versions, agents' corrections, and how often escalation
asked the LLM."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow


class ModelVersion(Base):
    """Heads trained at one moment, with their held-out figures; one version is active."""

    __tablename__ = "triage_model_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heads: Mapped[bytes] = mapped_column(LargeBinary)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    examples: Mapped[int] = mapped_column(Integer)
    corrections: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class Correction(Base):
    """An agent changed an AI-suggested label: the ticket as it read, and both labels."""

    __tablename__ = "triage_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(16))
    predicted: Mapped[str] = mapped_column(String(16))
    corrected: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    # Who corrected: retraining can weigh an agent, or leave one out (None: open access).
    actor_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class EscalationCount(Base):
    """Per UTC day, what confidence-gated escalation decided, summed over every process
    (API and workers): each adds what it counted every `TRIAGE_RELOAD_SECONDS`."""

    __tablename__ = "triage_escalation_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    local_answers: Mapped[int] = mapped_column(Integer, default=0)
    llm_calls: Mapped[int] = mapped_column(Integer, default=0)
    calls_saved: Mapped[int] = mapped_column(Integer, default=0)
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
