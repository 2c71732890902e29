"""SLA settings (targets per priority, a calendar per team) and the warnings and breaches
recorded. A ticket's next due time and whether it breached live on `tickets` (`due_at`,
`sla_breached`), where the list filters by them; this feature writes them."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow


class SlaTargets(Base):
    """Minutes of business time per priority; None: no such target."""

    __tablename__ = "sla_targets"

    priority: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_response_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_response_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaCalendar(Base):
    """A team's working hours: {"mon": ["09:00", "17:00"], ...} in its time zone; days
    not named are days off, as are its country's public holidays and the dates added."""

    __tablename__ = "sla_calendars"

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    country: Mapped[str | None] = mapped_column(String(8), nullable=True)
    holidays: Mapped[list[str]] = mapped_column(JSON)  # ISO dates
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaEvent(Base):
    """A warning before a target's due time, or its breach: recorded once each."""

    __tablename__ = "sla_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # warning, breached
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_sla_events_once", "ticket_id", "target", "kind", "due_at", unique=True),
    )
