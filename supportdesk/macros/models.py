"""Saved replies and what applying one does."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow


class Macro(Base):
    __tablename__ = "macros"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text)  # a Liquid template of the reply
    team: Mapped[str | None] = mapped_column(String(48), nullable=True)  # None: shared
    # The kind of ticket it answers: suggestions favour it there.
    category: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # {"status": ..., "priority": ..., "category": ..., "assign_to_me": bool, "note": ...}
    actions: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
