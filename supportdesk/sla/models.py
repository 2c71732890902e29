"""SLA settings (targets per priority, a calendar per team), the warnings and breaches
recorded, each target's outcome and their daily rollup. A ticket's next due time and
whether it breached live on `tickets` (`due_at`, `sla_breached`), where the list filters
by them; this feature writes them."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, text
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


class SlaOutcome(Base):
    """Each target a ticket has had (a next response starts at each customer answer) and
    how it stands: open, met in time, or breached. Replaced as a whole whenever the ticket
    is refreshed; the sweep finds the open ones coming due by `due_at`."""

    __tablename__ = "sla_outcomes"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    # The ticket's, at the last refresh: where the outcome counts in the rollup.
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    team: Mapped[str | None] = mapped_column(String(64), nullable=True)
    priority: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # None: paused
    state: Mapped[str] = mapped_column(String(16))  # open, met, breached

    __table_args__ = (
        Index(
            "ix_sla_outcomes_open_due",
            "due_at",
            postgresql_where=text("state = 'open'"),
            sqlite_where=text("state = 'open'"),
        ),
    )


class SlaAttainmentDay(Base):
    """How many outcomes of the tickets that arrived on a day (UTC) are open, met and
    breached, by target, team and priority: a month's attainment at a million tickets
    reads a few thousand of these rows, not a million tickets."""

    __tablename__ = "sla_attainment_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    target: Mapped[str] = mapped_column(String(32), primary_key=True)
    team: Mapped[str] = mapped_column(String(64), primary_key=True)  # "": not routed yet
    priority: Mapped[str] = mapped_column(String(16), primary_key=True)
    open: Mapped[int] = mapped_column(Integer, default=0)
    met: Mapped[int] = mapped_column(Integer, default=0)
    breached: Mapped[int] = mapped_column(Integer, default=0)


class SlaBackfill(Base):
    """The tickets filed before outcomes were kept (ids up to `up_to`) get theirs in the
    background; `done`: how far that has come. One row."""

    __tablename__ = "sla_backfill"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    up_to: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
