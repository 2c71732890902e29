"""API shapes of the conversation: the agents' thread, the public form, the customer's
view. Text is returned as JSON strings exactly as stored: nothing here is HTML."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from supportdesk.conversations.models import MessageKind
from supportdesk.conversations.service import Thread
from supportdesk.mail.models import Delivery
from supportdesk.taxonomy import Status
from supportdesk.text import EmailAddress, LongText, OrganisationName, PersonName, Title

# --- agents ------------------------------------------------------------------------------


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["reply", "note"] = Field(
        description="reply: public, the customer sees it; note: internal, never shown to them"
    )
    body: LongText
    resolve: StrictBool = Field(default=False, description="also mark the ticket resolved")


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str = Field(description="as the sender declared it")
    size: int = Field(description="bytes")
    inline: bool = Field(description="an image shown in the email's text")


class MessageOut(BaseModel):
    id: int = Field(description="0 for the ticket's description, the thread's first message")
    kind: MessageKind
    body: str
    created_at: datetime
    author_name: str = Field(description="the agent's or the customer's name")
    author_user_id: int | None
    author_contact_id: int | None
    ticket_id: int = Field(
        description="the ticket it was written on: another one for a ticket merged into this"
    )
    email: Delivery | None = Field(
        default=None,
        description="a public reply's email to the customer: queued, connecting, sending, "
        "sent, failed (refused for good) or unconfirmed (a send died midway: not repeated); "
        "null when none was sent (no SMTP server, no customer address, a note)",
    )
    by_email: bool = Field(default=False, description="a customer's message that came by email")
    attachments: list[AttachmentOut] = Field(
        default_factory=list,
        description="files a customer's email came with; GET "
        "/api/tickets/{ticket_id}/attachments/{id} downloads one",
    )


class ContactOut(BaseModel):
    id: int
    email: str
    name: str
    organisation: str | None


class ThreadSummaryOut(BaseModel):
    text: str = Field(description="one paragraph; customer text in it is plain text, not HTML")
    source: str = Field(
        description="extractive: the thread's own sentences, chosen offline; otherwise the "
        "provider:model that wrote it"
    )
    through_message_id: int = Field(description="the newest message it covers")


class ThreadOut(BaseModel):
    """A ticket's conversation, oldest first: its description (message 0), then every
    message, internal notes included."""

    ticket_id: int
    contact: ContactOut | None = Field(description="the customer, when the ticket has one")
    waiting_since: datetime | None
    messages: list[MessageOut]
    summary: ThreadSummaryOut | None = Field(
        description="for threads of five messages or more (the description included)"
    )


def thread_out(found: Thread) -> ThreadOut:
    return ThreadOut(
        ticket_id=found.ticket.id,
        contact=ContactOut.model_validate(found.contact, from_attributes=True)
        if found.contact
        else None,
        waiting_since=found.ticket.waiting_since,
        messages=[
            MessageOut.model_validate(entry, from_attributes=True) for entry in found.messages
        ],
        summary=ThreadSummaryOut.model_validate(found.summary, from_attributes=True)
        if found.summary
        else None,
    )


class LinksRevoked(BaseModel):
    ticket_id: int
    revoked: int = Field(description="how many links stopped working")


# --- the public form and the customer's view ---------------------------------------------


class PublicTicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PersonName
    email: EmailAddress
    title: Title
    description: LongText


class CustomerLinkOut(BaseModel):
    """A customer's private link, shown this once: only its hash is stored."""

    ticket_id: int
    url: str = Field(description="the customer's page; the secret is in its fragment")
    idle_days: float = Field(description="the link stops working after this long unused")


class PublicMessageOut(BaseModel):
    """A message as the customer sees it: their own messages and agents' public replies,
    with the agent's name (never an email address)."""

    id: int = Field(description="0 for the ticket's description, the thread's first message")
    kind: Literal["customer", "reply"]
    body: str
    created_at: datetime
    author_name: str


class CustomerTicketOut(BaseModel):
    id: int
    title: str
    status: Status
    created_at: datetime
    messages: list[PublicMessageOut] = Field(description="the public thread, oldest first")


class CustomerMessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: LongText


class Outcome(StrEnum):
    ADDED = "added"  # to the ticket, which was still open
    REOPENED = "reopened"  # the ticket was resolved or closed recently: it is open again
    FOLLOW_UP = "follow_up"  # resolved too long ago: a new ticket follows it up


class CustomerMessageSent(BaseModel):
    outcome: Outcome
    ticket_id: int = Field(description="the ticket the message went to")
    message: PublicMessageOut
    follow_up_link: CustomerLinkOut | None = Field(
        description="for a follow-up ticket: the customer's link to it, shown this once"
    )


# --- the customers' portal and organisations ---------------------------------------------


class CustomerSignInSent(BaseModel):
    """A one-time link signing the ticket's customer in to all their tickets, emailed to
    their address (never shown: anyone can file a ticket under any address)."""

    ticket_id: int
    sent_to: str = Field(description="the customer's address, partly hidden")
    expires_at: datetime


class CustomerSignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")


class CustomerSessionOut(BaseModel):
    token: str = Field(description="send it as X-Customer-Token; shown this once")
    name: str
    organisation: str | None


class CustomerTicketItemOut(BaseModel):
    id: int
    title: str
    status: Status
    updated_at: datetime
    filed_by: str = Field(description="the customer who filed it (a colleague, when shared)")
    waiting_on_you: bool


class CustomerTicketsOut(BaseModel):
    name: str
    organisation: str | None
    shared: bool = Field(description="the organisation's tickets are listed too")
    tickets: list[CustomerTicketItemOut]


class OrganisationOut(BaseModel):
    name: str
    contacts: int
    share_tickets: bool = Field(description="its customers, signed in, see each other's tickets")


class OrganisationSharing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share_tickets: StrictBool


class ContactChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation: OrganisationName | None = Field(description="null: no organisation")
