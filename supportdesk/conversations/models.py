"""The conversation's tables: customers (contacts), a ticket's messages, the customers'
private links to their tickets, and the public form's submissions (for its throttle).

A ticket's own `contact_id`, `waiting_since` and `follow_up_of` live on `tickets` (see
tickets/models.py), where the list can filter by them; this feature writes them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.text import MAX_TEXT_CHARS
from supportdesk.types import UTCDateTime, utcnow


class MessageKind(StrEnum):
    CUSTOMER = "customer"  # written by the customer
    REPLY = "reply"  # an agent's public reply: the customer sees it
    NOTE = "note"  # an agent's internal note: never shown to the customer, never sent


# What the customer's view shows: never notes.
PUBLIC_KINDS = (MessageKind.CUSTOMER, MessageKind.REPLY)


class Contact(Base):
    """A customer: not a staff user, never signs in to the agent UI."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Message(Base):
    """One message of a ticket's thread. The ticket's description is the thread's first
    customer message and is not stored again here."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # An agent's message names its author; a customer's, the contact. Deleting either
    # keeps the message.
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    author_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The email's Message-ID once email exists: replies that name it join this thread.
    email_message_id: Mapped[str | None] = mapped_column(String(998), nullable=True)

    __table_args__ = (
        CheckConstraint(
            "kind IN ('customer', 'reply', 'note')",
            name="kind_valid",
        ),
        CheckConstraint(
            f"length(trim(body)) > 0 AND length(body) <= {MAX_TEXT_CHARS}", name="body_valid"
        ),
        Index("ix_messages_thread", "ticket_id", "created_at", "id"),
        Index("ix_messages_email_message_id", "email_message_id", unique=True),
    )


class CustomerLink(Base):
    """A customer's private link to one ticket: only the secret's hash is kept. It stops
    working when revoked, or after `CONVERSATIONS_LINK_IDLE_DAYS` without use."""

    __tablename__ = "customer_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Organisation(Base):
    """What an admin decided about an organisation (contacts name theirs): whether its
    customers, signed in, see each other's tickets."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    share_tickets: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerSignInLink(Base):
    """A one-time link that signs a customer in to their tickets (and, when shared, their
    organisation's): only its hash is kept; it works once, for a day."""

    __tablename__ = "customer_sign_in_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CustomerSession(Base):
    """A signed-in customer: every ticket of theirs, not one (a private link's reach).
    Its secret is sent like a link's, as X-Customer-Token; only the hash is kept."""

    __tablename__ = "customer_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PublicSubmission(Base):
    """A ticket filed on the public form, by the client's address: the throttle counts
    these in the database, so the limit holds across processes."""

    __tablename__ = "public_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_public_submissions_address_at", "address", "at"),)


class ThreadSummary(Base):
    """A thread's summary up to one message, stored by the background job (the offline
    one, or the LLM provider's): when a later message exists, the offline one is worked
    out on the spot until the job has stored the next."""

    __tablename__ = "thread_summaries"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    through_message_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(160))  # "extractive", or the provider:model
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketCc(Base):
    """Someone copied on a ticket (an email's Cc): public replies go to them too, and
    their replies join the ticket as the customer's do."""

    __tablename__ = "ticket_ccs"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254), primary_key=True)  # stored lower-cased
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(Base):
    """A file that came with a customer's message (an email's attachment or inline
    image). `message_id` is None for the ticket's opening message (its description)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    # What the sender declared: recorded, never trusted to serve it (downloads are
    # octet-stream, except images shown inline).
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_attachments_ticket", "ticket_id", "message_id"),)
