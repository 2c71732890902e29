"""The tickets table and the label/day rollups that triggers keep in step with it."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.taxonomy import Category, LabelSource, Priority, Status
from supportdesk.types import UTCDateTime, utcnow


def one_of(column: str, values: type[Category | Priority | Status | LabelSource]) -> str:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({allowed})"


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # What triage suggested, kept beside the labels so overrides can be measured.
    category_source: Mapped[str] = mapped_column(String(8), default=LabelSource.USER.value)
    priority_source: Mapped[str] = mapped_column(String(8), default=LabelSource.USER.value)
    ai_category: Mapped[str | None] = mapped_column(String(16), nullable=True)
    ai_priority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # The lower of the two below: how sure triage was of the ticket as a whole.
    ai_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    ai_category_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    ai_priority_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    ai_reasoning: Mapped[str | None] = mapped_column(Text, nullable=True)
    ai_provider: Mapped[str | None] = mapped_column(String(64), nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    team: Mapped[str | None] = mapped_column(String(48), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    sla_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # The conversation's columns (conversations/ writes them): the customer who filed it,
    # since when it waits on the customer (a public reply; their next message ends it),
    # and the ticket it follows up (a message to one resolved too long ago).
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    follow_up_of: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True
    )

    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0 AND length(title) <= 200", name="title_valid"),
        CheckConstraint("length(trim(description)) > 0", name="description_not_blank"),
        CheckConstraint(one_of("category", Category), name="category_valid"),
        CheckConstraint(one_of("priority", Priority), name="priority_valid"),
        CheckConstraint(one_of("status", Status), name="status_valid"),
        CheckConstraint(one_of("category_source", LabelSource), name="category_source_valid"),
        CheckConstraint(one_of("priority_source", LabelSource), name="priority_source_valid"),
        CheckConstraint(
            f"ai_category IS NULL OR {one_of('ai_category', Category)}", name="ai_category_valid"
        ),
        CheckConstraint(
            f"ai_priority IS NULL OR {one_of('ai_priority', Priority)}", name="ai_priority_valid"
        ),
        Index("ix_tickets_newest", text("created_at DESC"), text("id DESC")),
        Index("ix_tickets_assignee_open", "assignee_id", "status"),
        Index("ix_tickets_status_newest", "status", text("created_at DESC")),
        Index("ix_tickets_category_newest", "category", text("created_at DESC")),
        Index("ix_tickets_priority_newest", "priority", text("created_at DESC")),
        # "Due soonest": what is still to do first (ORDERINGS["due_at"]).
        Index("ix_tickets_due_open", text("(resolved_at IS NOT NULL)"), "due_at", "id"),
    )


class TicketLabelCount(Base):
    """How many tickets carry each combination of labels and AI suggestion ('' for none):
    stats and label-only counts read a few hundred rows instead of every ticket."""

    __tablename__ = "ticket_label_counts"

    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    priority: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    ai_category: Mapped[str] = mapped_column(String(16), primary_key=True)
    ai_priority: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class TicketDailyCount(Base):
    """Tickets created per UTC day, for the per-day chart and the average."""

    __tablename__ = "ticket_daily_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class TeamSettings(Base):
    """What a team of the routing file chose in the app (the file holds the teams)."""

    __tablename__ = "team_settings"

    team: Mapped[str] = mapped_column(String(48), primary_key=True)
    # New tickets routed to the team go to its least-loaded available agent.
    auto_assign: Mapped[bool] = mapped_column(Boolean)
