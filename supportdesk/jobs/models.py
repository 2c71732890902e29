"""The job table of the embedded default (SQLite). PostgreSQL uses procrastinate's tables."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow


class LocalJob(Base):
    __tablename__ = "local_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    lock: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # todo -> doing -> succeeded | failed; a crash leaves "doing", which start-up resets.
    status: Mapped[str] = mapped_column(String(16), default="todo")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Higher first (as procrastinate's own): work a person waits on jumps the queue.
    priority: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_local_jobs_status_run_after", "status", "run_after"),)
