"""Batch analysis tables: runs, one result per (run, ticket), and the claims of active runs."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.taxonomy import Category, Priority
from supportdesk.types import UTCDateTime, utcnow


class RunStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class ResultStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    ANALYZED = "analyzed"
    FAILED = "failed"


ACTIVE_RUN = (RunStatus.PENDING.value, RunStatus.PROCESSING.value)
OPEN_RESULT = (ResultStatus.PENDING.value, ResultStatus.PROCESSING.value)


def check_one_of(column: str, values: type[StrEnum], nullable: bool = False) -> str:
    allowed = f"{column} IN ({', '.join(repr(v.value) for v in values)})"
    return f"{column} IS NULL OR {allowed}" if nullable else allowed


class AnalysisRun(Base):
    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.PENDING.value)
    # How the tickets were chosen: {"ticketIds": [...]}, {"filter": {...}} or {"pending": true}.
    selection: Mapped[dict[str, Any]] = mapped_column(JSON)
    ticket_count: Mapped[int] = mapped_column(Integer)
    # "" until the summary is written: reference clients read it as a string.
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    summary_provider: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Set by the chunk that finishes the run's last ticket, in the transaction that enqueues
    # the summary: a conditional UPDATE on it makes "enqueue once" a database fact.
    summary_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(check_one_of("status", RunStatus), name="status_valid"),
        Index("ix_analysis_runs_status", "status"),
    )


class AnalysisResult(Base):
    """One ticket in one run. `ticket_id` has no foreign key on purpose: unknown ids are
    recorded as failed results, and a run's report outlives a deleted ticket."""

    __tablename__ = "analysis_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=ResultStatus.PENDING.value)
    category: Mapped[str | None] = mapped_column(String(16), nullable=True)
    priority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    provider: Mapped[str | None] = mapped_column(String(64), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    analyzed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The ticket's MiniLM embedding (float16) from the classification pass, so the summary
    # clusters themes without embedding every ticket a second time.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (
        UniqueConstraint("run_id", "ticket_id"),
        CheckConstraint(check_one_of("status", ResultStatus), name="status_valid"),
        CheckConstraint(check_one_of("category", Category, nullable=True), name="category_valid"),
        CheckConstraint(check_one_of("priority", Priority, nullable=True), name="priority_valid"),
        Index("ix_analysis_results_run_id_status", "run_id", "status"),
        Index("ix_analysis_results_ticket_id_status", "ticket_id", "status"),
    )


class AnalysisClaim(Base):
    """A ticket held by an active run. The primary key on ticket_id is what makes double
    work impossible: a second run cannot claim a ticket until the first releases it."""

    __tablename__ = "analysis_claims"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    run_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_runs.id", ondelete="CASCADE"), index=True
    )
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
