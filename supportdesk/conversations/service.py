"""Conversation use cases: a ticket's thread, agents' replies and notes, the public form,
the customer's private links and messages. Takes a session and plain values; never
commits, never imports FastAPI.

A ticket's description is its first customer message: the thread shows it as message 0
(built from the ticket, not stored twice), so every ticket has a thread from the start,
whoever created it (the public form, the agent form, an import)."""

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape
from typing import Any, Protocol

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import By, Change, record
from supportdesk.auth import service as auth
from supportdesk.auth.models import User
from supportdesk.auth.secrets import new_token, token_hash
from supportdesk.auth.service import normal_email
from supportdesk.config import ConversationSettings, EmailSettings
from supportdesk.conversations.models import (
    PUBLIC_KINDS,
    Attachment,
    Contact,
    CustomerLink,
    Message,
    MessageKind,
    PublicSubmission,
    ThreadSummary,
    TicketCc,
)
from supportdesk.conversations.summary import SUMMARY_FROM, extractive_summary
from supportdesk.db import delete_all
from supportdesk.dialect import among, insert_rows, upsert
from supportdesk.errors import Conflict, NotFound, TooManyRequests
from supportdesk.events.broker import publish
from supportdesk.jobs.queue import enqueue_triggered
from supportdesk.mail import service as mail
from supportdesk.mail.models import Arrival, InboundEmail, OutboundEmail
from supportdesk.taxonomy import DONE_STATUSES, Status
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.schemas import TicketCreate, TicketUpdate
from supportdesk.triage.base import Classifier, Suggestion
from supportdesk.types import utcnow

# Who a message is from when its author is gone, or was the open mode's nobody.
STAFF_NAME = "Support team"
CUSTOMER_NAME = "Customer"
THROTTLE_WINDOW = timedelta(hours=1)
TITLE_MAX = 200  # tickets.title
# The job triggers of a message added to a ticket (see tasks.py).
CUSTOMER_WROTE = "ticket.customer_message"
STAFF_WROTE = "ticket.staff_message"
EXTRACTIVE = "extractive"
# The live event of an agent writing to a ticket (not a change: it refreshes nothing).
TYPING = "typing"


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    id: int  # 0: the ticket's description
    kind: MessageKind
    body: str
    created_at: datetime
    author_name: str
    author_user_id: int | None
    author_contact_id: int | None
    ticket_id: int  # the ticket it was written on: for agents, merged tickets' too
    email: str | None = None  # a reply's email: queued, sent, failed... (mail.Delivery)
    by_email: bool = False  # a customer's message that came by email
    attachments: tuple["AttachmentInfo", ...] = ()


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    filename: str
    content_type: str
    size: int
    inline: bool


@dataclass(frozen=True, slots=True)
class Summary:
    text: str
    source: str  # "extractive", or the provider:model that wrote it
    through_message_id: int  # the newest message it covers


@dataclass(frozen=True, slots=True)
class Thread:
    ticket: Ticket
    contact: Contact | None
    messages: list[ThreadEntry]
    summary: Summary | None = None  # for agents, of a thread of SUMMARY_FROM messages or more


# --- reading the thread ------------------------------------------------------------------


class _Described(Protocol):
    """A ticket as its opening message needs it: a Ticket, or a row of these columns."""

    @property
    def id(self) -> int: ...

    @property
    def description(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...


def _opening(ticket: _Described, contact_name: str | None, contact_id: int | None) -> ThreadEntry:
    """A ticket's description, as its thread's first customer message."""
    return ThreadEntry(
        id=0,
        kind=MessageKind.CUSTOMER,
        body=ticket.description,
        created_at=ticket.created_at,
        author_name=contact_name or CUSTOMER_NAME,
        author_user_id=None,
        author_contact_id=contact_id,
        ticket_id=ticket.id,
    )


async def thread(session: AsyncSession, ticket_id: int, *, public_only: bool = False) -> Thread:
    """Oldest first, message 0 (the description) leading. For agents, the conversations
    of tickets merged into this one are part of it (their descriptions and messages, each
    naming its ticket): the conversation goes on here. `public_only` is what the customer
    sees: this ticket's own messages, no internal notes."""
    ticket = await tickets.get_ticket(session, ticket_id)
    contact = await session.get(Contact, ticket.contact_id) if ticket.contact_id else None
    merged = [] if public_only else await _merged_into(session, ticket_id)
    statement = (
        select(
            Message.id,
            Message.kind,
            Message.body,
            Message.created_at,
            Message.author_user_id,
            Message.author_contact_id,
            Message.ticket_id,
            User.name,
            Contact.name,
            OutboundEmail.status,
        )
        .outerjoin(User, User.id == Message.author_user_id)
        .outerjoin(Contact, Contact.id == Message.author_contact_id)
        .outerjoin(OutboundEmail, OutboundEmail.message_id == Message.email_message_id)
        .where(Message.ticket_id.in_([ticket_id, *(row.id for row in merged)]))
    )
    if public_only:
        statement = statement.where(Message.kind.in_([kind.value for kind in PUBLIC_KINDS]))
    later = [_opening(row, row.contact_name, row.contact_id) for row in merged]
    for row in await session.execute(statement):
        (message_id, kind, body, at, user_id, contact_id, on_ticket) = row[:7]
        user_name, contact_name, email = row[7:]
        later.append(
            ThreadEntry(
                id=message_id,
                kind=MessageKind(kind),
                body=body,
                created_at=at,
                author_name=_author_name(MessageKind(kind), user_name, contact_name),
                author_user_id=user_id,
                author_contact_id=contact_id,
                ticket_id=on_ticket,
                email=email,
            )
        )
    later.sort(key=lambda entry: (entry.created_at, entry.ticket_id, entry.id))
    entries = [_opening(ticket, contact.name if contact else None, ticket.contact_id), *later]
    entries = await _with_email_details(session, [ticket_id, *(row.id for row in merged)], entries)
    summary = None if public_only else await _summary(session, ticket_id, entries)
    return Thread(ticket, contact, entries, summary)


async def _with_email_details(
    session: AsyncSession, ticket_ids: list[int], entries: list[ThreadEntry]
) -> list[ThreadEntry]:
    """Which customer messages came by email, and the files each came with (keyed by
    ticket and message: 0 is a ticket's opening message)."""
    filed = [Arrival.ADDED.value, Arrival.REOPENED.value, Arrival.OPENED.value]
    emailed = {
        (on_ticket, message_id or 0)
        for on_ticket, message_id in await session.execute(
            select(InboundEmail.ticket_id, InboundEmail.conversation_message_id).where(
                InboundEmail.ticket_id.in_(ticket_ids), InboundEmail.status.in_(filed)
            )
        )
    }
    files: dict[tuple[int, int], list[AttachmentInfo]] = {}
    for row in await session.execute(
        select(
            Attachment.id,
            Attachment.ticket_id,
            Attachment.message_id,
            Attachment.filename,
            Attachment.content_type,
            Attachment.size,
            Attachment.inline,
        )
        .where(Attachment.ticket_id.in_(ticket_ids))
        .order_by(Attachment.id)
    ):
        info = AttachmentInfo(row.id, row.filename, row.content_type, row.size, row.inline)
        files.setdefault((row.ticket_id, row.message_id or 0), []).append(info)
    if not emailed and not files:
        return entries
    return [
        replace(
            entry,
            by_email=(entry.ticket_id, entry.id) in emailed,
            attachments=tuple(files.get((entry.ticket_id, entry.id), ())),
        )
        if entry.kind is MessageKind.CUSTOMER
        else entry
        for entry in entries
    ]


async def attachment(session: AsyncSession, ticket_id: int, attachment_id: int) -> Attachment:
    """A file of the ticket's thread (tickets merged into it included)."""
    found = await session.get(Attachment, attachment_id)
    if found is not None and found.ticket_id != ticket_id:
        merged = {row.id for row in await _merged_into(session, ticket_id)}
        found = found if found.ticket_id in merged else None
    if found is None:
        raise NotFound(f"ticket {ticket_id} has no attachment {attachment_id}")
    return found


MergedRow = Row[int, str, datetime, int | None, str]


async def _merged_into(session: AsyncSession, ticket_id: int) -> Sequence[MergedRow]:
    """The tickets merged into this one, with what their openings need."""
    rows = await session.execute(
        select(
            Ticket.id,
            Ticket.description,
            Ticket.created_at,
            Ticket.contact_id,
            Contact.name.label("contact_name"),
        )
        .outerjoin(Contact, Contact.id == Ticket.contact_id)
        .where(Ticket.duplicate_of == ticket_id)
    )
    return rows.all()


def _author_name(kind: MessageKind, user_name: str | None, contact_name: str | None) -> str:
    if kind is MessageKind.CUSTOMER:
        return contact_name or CUSTOMER_NAME
    return user_name or STAFF_NAME


async def _summary(
    session: AsyncSession, ticket_id: int, entries: list[ThreadEntry]
) -> Summary | None:
    """The stored summary when it covers the newest message (the LLM's, or the offline
    one the background job stored), else the offline one worked out now."""
    if len(entries) < SUMMARY_FROM:
        return None
    newest = entries[-1].id
    written = await session.get(ThreadSummary, ticket_id)
    if written is not None and written.through_message_id == newest:
        return Summary(written.text, written.source, newest)
    text = extractive_summary(entries)
    return Summary(text, EXTRACTIVE, newest) if text else None


async def stored_summary(session: AsyncSession, ticket_id: int) -> ThreadSummary | None:
    return await session.get(ThreadSummary, ticket_id, populate_existing=True)


async def save_summary(
    session: AsyncSession, ticket_id: int, through_message_id: int, text: str, source: str
) -> None:
    """A summary of the thread up to that message (it replaces an older one)."""
    row = {
        "ticket_id": ticket_id,
        "through_message_id": through_message_id,
        "text": text,
        "source": source,
        "written_at": utcnow(),
    }
    statement = upsert(
        session,
        ThreadSummary,
        key=["ticket_id"],
        replace=("through_message_id", "text", "source", "written_at"),
    )
    await session.execute(statement, [row])
    await publish(session, "ticket.updated", id=ticket_id)


def transcript(entries: list[ThreadEntry], max_chars: int) -> str:
    """The thread as a model reads it: numbered messages with who wrote them, the first
    (the problem) always, then as many of the newest as `max_chars` allows."""
    lines = [
        f"[{n}] {entry.author_name} ({entry.kind.value}): {entry.body.strip()}"
        for n, entry in enumerate(entries, start=1)
    ]
    first, rest = lines[0][:max_chars], lines[1:]
    room, kept = max_chars - len(first), []
    for line in reversed(rest):
        if len(line) > room:
            kept.append("[…earlier messages left out…]")
            break
        kept.append(line)
        room -= len(line)
    return "\n\n".join([first, *reversed(kept)])


async def public_timelines(
    session: AsyncSession, ticket_ids: Collection[int]
) -> dict[int, list[tuple[datetime, bool]]]:
    """For each ticket, when each public message after the opening one was written, oldest
    first, and whether the customer wrote it (else it is an agent's reply): what SLA
    targets count. Tickets without such messages are absent."""
    rows = await session.execute(
        select(Message.ticket_id, Message.created_at, Message.kind)
        .where(
            among(session, Message.ticket_id, ticket_ids),
            Message.kind.in_([kind.value for kind in PUBLIC_KINDS]),
        )
        .order_by(Message.ticket_id, Message.created_at, Message.id)
    )
    return timelines_of(row._mapping for row in rows)


def timelines_of(messages: Iterable[Mapping[Any, Any]]) -> dict[int, list[tuple[datetime, bool]]]:
    """`public_timelines` of message rows in hand (ticket_id, created_at, kind), in order."""
    public = {kind.value for kind in PUBLIC_KINDS}
    found: dict[int, list[tuple[datetime, bool]]] = {}
    for message in messages:
        if message["kind"] in public:
            entry = (message["created_at"], message["kind"] == MessageKind.CUSTOMER.value)
            found.setdefault(message["ticket_id"], []).append(entry)
    return found


async def latest_customer_message(
    session: AsyncSession, ticket_id: int
) -> tuple[int, str, str] | None:
    """The customer's newest message on the ticket: (its id, who wrote it, its text)."""
    row = (
        await session.execute(
            select(Message.id, Contact.name, Message.body)
            .outerjoin(Contact, Contact.id == Message.author_contact_id)
            .where(Message.ticket_id == ticket_id, Message.kind == MessageKind.CUSTOMER.value)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
        )
    ).first()
    return (row[0], row[1] or CUSTOMER_NAME, row[2]) if row else None


async def customer_words(session: AsyncSession, ticket: Ticket) -> str:
    """What the customer has said on the ticket, which triage, extraction and duplicate
    detection read again when they write: the newest message first (models read a bounded
    window, and the newest words say most about the ticket now), then the description and
    the messages between, oldest first."""
    bodies = list(
        await session.scalars(
            select(Message.body)
            .where(Message.ticket_id == ticket.id, Message.kind == MessageKind.CUSTOMER.value)
            .order_by(Message.created_at, Message.id)
        )
    )
    if not bodies:
        return ticket.description
    return "\n\n".join([bodies[-1], ticket.description, *bodies[:-1]])


# --- agents' replies and notes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mailing:
    """How public replies are emailed to the customer (None when no SMTP server is set)."""

    settings: EmailSettings
    base_url: str  # of the customer's private link in each email


async def post_message(
    session: AsyncSession,
    ticket_id: int,
    kind: MessageKind,
    body: str,
    *,
    resolve: bool,
    author_user_id: int | None,
    mailing: Mailing | None = None,
) -> ThreadEntry:
    """A public reply (the ticket then waits on the customer) or an internal note (waiting
    unchanged); with `resolve`, the ticket is resolved too. A merged ticket takes no
    message: its conversation goes on in the ticket it was merged into."""
    assert kind in (MessageKind.REPLY, MessageKind.NOTE)
    await tickets.lock_tickets(session, [ticket_id])
    ticket = await tickets.get_ticket(session, ticket_id, fresh=True)
    if ticket.duplicate_of is not None:
        into = ticket.duplicate_of
        raise Conflict(
            f"ticket {ticket_id} was merged into ticket {into}: write on ticket {into}",
            {"ticket_id": [f"merged into ticket {into}"]},
        )
    now = utcnow()
    changes: dict[str, Any] = {}
    if kind is MessageKind.REPLY and ticket.waiting_since is None:
        ticket.waiting_since = now
        changes["waiting"] = [False, True]
    status_before = ticket.status
    by = By.user(author_user_id)
    resolved = resolve and await tickets.apply_change(
        session, ticket, TicketUpdate(status=Status.RESOLVED), by
    )
    if resolved:
        changes["status"] = [status_before, ticket.status]
    message = Message(
        ticket_id=ticket_id,
        kind=kind.value,
        author_user_id=author_user_id,
        body=body,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    if mailing is not None and kind is MessageKind.REPLY and ticket.contact_id is not None:
        message.email_message_id = await _email_reply(session, ticket, body, mailing)
    record(
        session,
        Change(
            f"message.{kind.value}",
            by,
            ticket_id=ticket_id,
            changes=changes,
            detail=f"message {message.id}",
        ),
    )
    await _save(session, ticket, rerun_workflow=resolved)
    await enqueue_triggered(session, STAFF_WROTE, ticket_id)
    author = await session.get(User, author_user_id) if author_user_id is not None else None
    return ThreadEntry(
        id=message.id,
        kind=kind,
        body=message.body,
        created_at=now,
        author_name=author.name if author else STAFF_NAME,
        author_user_id=author_user_id,
        author_contact_id=None,
        ticket_id=ticket_id,
    )


async def replied_since(session: AsyncSession, ticket_id: int, since: datetime) -> bool:
    """Whether an agent's public reply went to the customer after this time."""
    found = await session.scalar(
        select(Message.id)
        .where(
            Message.ticket_id == ticket_id,
            Message.kind == MessageKind.REPLY.value,
            Message.created_at > since,
        )
        .limit(1)
    )
    return found is not None


async def typing(session: AsyncSession, ticket_id: int, user_id: int | None) -> None:
    """Tell everyone on the ticket that this agent is writing to it (nothing is stored):
    two agents answering one customer at once see each other before both send."""
    names = await auth.names_of(session, {user_id}) if user_id is not None else {}
    name = names.get(user_id, STAFF_NAME) if user_id is not None else STAFF_NAME
    await publish(session, TYPING, id=ticket_id, user_id=user_id, name=name)


async def _email_reply(session: AsyncSession, ticket: Ticket, body: str, mailing: Mailing) -> str:
    """Queue the reply's email to the customer, threaded after the conversation's earlier
    ones, with a fresh private link to the whole conversation; those copied on the ticket
    get their own copy, without the link (it is the customer's). The customer's
    Message-ID."""
    assert ticket.contact_id is not None
    contact = await session.get(Contact, ticket.contact_id)
    assert contact is not None
    link = f"{mailing.base_url}/c#{await issue_link(session, ticket.id, contact.id)}"
    earlier = await mail.ticket_message_ids(session, ticket.id)
    subject = f"Re: [#{ticket.id}] {' '.join(ticket.title.split())}"
    in_reply_to = earlier[-1] if earlier else None
    signature = mailing.settings.from_name
    to_customer = mail.Outgoing(
        to=[contact.email],
        subject=subject,
        text_body=_reply_text(body, signature, ticket.id, link),
        html_body=_reply_html(body, signature, ticket.id, link),
        ticket_id=ticket.id,
        in_reply_to=in_reply_to,
        references=earlier,
    )
    customer_copy = await mail.queue(session, to_customer, mailing.settings)
    copied_in = await copied(session, ticket.id)
    if copied_in:
        to_copied = mail.Outgoing(
            to=copied_in,
            subject=subject,
            text_body=_reply_text(body, signature, ticket.id, None),
            html_body=_reply_html(body, signature, ticket.id, None),
            ticket_id=ticket.id,
            in_reply_to=in_reply_to,
            references=earlier,
        )
        await mail.queue(session, to_copied, mailing.settings)
    return customer_copy.message_id


def _reply_text(body: str, signature: str, ticket_id: int, link: str | None) -> str:
    """Every email of a ticket ends with this line (the inbox finds the ticket by it in
    quoted history); with the customer's private link, for the customer only."""
    where = f", or read and answer the whole conversation at {link}" if link else ""
    return f"{body}\n\n{signature}\n\n--\nTicket #{ticket_id}: reply to this email{where}\n"


def _reply_html(body: str, signature: str, ticket_id: int, link: str | None) -> str:
    where = (
        f', or read and answer the whole conversation <a href="{escape(link)}">here</a>'
        if link
        else ""
    )
    return (
        f'<div style="white-space: pre-wrap">{escape(body)}</div>'
        f"<p>{escape(signature)}</p><hr>"
        f"<p>Ticket #{ticket_id}: reply to this email{where}.</p>"
    )


async def acknowledge(
    session: AsyncSession, ticket: Ticket, secret: str, mailing: Mailing, in_reply_to: str | None
) -> None:
    """Tell the customer their email opened a ticket, with their private link to it:
    marked as sent by the system, so their auto-responder does not answer it."""
    contact = await session.get(Contact, ticket.contact_id)
    assert contact is not None
    link = f"{mailing.base_url}/c#{secret}"
    body = f"Hello {contact.name},\n\nwe have your message and will answer soon."
    outgoing = mail.Outgoing(
        to=[contact.email],
        subject=f"[#{ticket.id}] {' '.join(ticket.title.split())}",
        text_body=_reply_text(body, mailing.settings.from_name, ticket.id, link),
        html_body=_reply_html(body, mailing.settings.from_name, ticket.id, link),
        ticket_id=ticket.id,
        in_reply_to=in_reply_to,
        references=[in_reply_to] if in_reply_to else [],
        automatic=True,
    )
    await mail.queue(session, outgoing, mailing.settings)


async def _save(session: AsyncSession, ticket: Ticket, *, rerun_workflow: bool) -> None:
    """Stamp and announce the ticket's change (the UI updates live); a change of status or
    a customer's words also re-run the ticket's workflow (facts, routing, draft)."""
    if rerun_workflow:
        await tickets.save_change(session, ticket)
        return
    ticket.updated_at = utcnow()
    await session.flush()
    await publish(session, "ticket.updated", id=ticket.id)


# --- contacts and their private links ----------------------------------------------------


async def contact_of(session: AsyncSession, ticket: Ticket) -> Contact | None:
    """The ticket's customer (None for a ticket no customer filed)."""
    return await session.get(Contact, ticket.contact_id) if ticket.contact_id else None


async def contact_for(session: AsyncSession, email: str, name: str) -> Contact:
    """The contact with this email, created with this name if there is none. An existing
    contact keeps its name: anyone can type an email address into the public form."""
    email = normal_email(email)
    row = {"email": email, "name": name.strip(), "created_at": utcnow()}
    # Two first tickets from one address at once: one insert, both find the row.
    statement = upsert(session, Contact, key=["email"], replace=["email"])
    await session.execute(statement, [row])
    contact = await session.scalar(
        select(Contact).where(Contact.email == email).execution_options(populate_existing=True)
    )
    assert contact is not None
    return contact


async def issue_link(session: AsyncSession, ticket_id: int, contact_id: int) -> str:
    """A new private link to the ticket; the secret is returned once, its hash kept."""
    secret = new_token("sdc")
    now = utcnow()
    session.add(
        CustomerLink(
            token_hash=token_hash(secret),
            ticket_id=ticket_id,
            contact_id=contact_id,
            created_at=now,
            last_used_at=now,
        )
    )
    await session.flush()
    return secret


async def new_link(session: AsyncSession, ticket_id: int, by: By) -> str:
    """Another link for the ticket's customer (after the old ones were revoked, say)."""
    ticket = await tickets.get_ticket(session, ticket_id)
    if ticket.contact_id is None:
        raise Conflict(
            f"ticket {ticket_id} has no customer to give a link to (it was not filed by one)"
        )
    secret = await issue_link(session, ticket_id, ticket.contact_id)
    record(session, Change("customer_link.issued", by, ticket_id=ticket_id))
    return secret


async def revoke_links(session: AsyncSession, ticket_id: int, by: By) -> int:
    """Every link to the ticket stops working at once; how many were still working."""
    await tickets.get_ticket(session, ticket_id)  # 404 for an unknown ticket
    revoked = await session.execute(
        update(CustomerLink)
        .where(CustomerLink.ticket_id == ticket_id, CustomerLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    count = int(getattr(revoked, "rowcount", 0) or 0)
    if count:
        record(
            session,
            Change(
                "customer_link.revoked",
                by,
                ticket_id=ticket_id,
                changes={"links": [count, 0]},
                detail=f"{count} link(s) revoked",
            ),
        )
    return count


async def prune(session: AsyncSession, settings: ConversationSettings, now: datetime) -> int:
    """Delete customers' links revoked or unused for twice their idle period (a link
    idle past its period no longer works; the margin keeps a just-expired one findable),
    and the public form's submissions older than its throttle's window. How many rows."""
    idle_since = now - 2 * timedelta(days=settings.link_idle_days)
    statements = [
        delete(CustomerLink).where(
            or_(CustomerLink.revoked_at <= idle_since, CustomerLink.last_used_at <= idle_since)
        ),
        delete(PublicSubmission).where(PublicSubmission.at <= now - THROTTLE_WINDOW),
    ]
    return await delete_all(session, statements)


# --- the public form ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicTicket:
    name: str
    email: str
    title: str
    description: str


async def file_public_ticket(
    session: AsyncSession,
    form: PublicTicket,
    address: str,
    classifier: Classifier,
    settings: ConversationSettings,
) -> tuple[Ticket, str]:
    """A customer's ticket from the public form, labelled by triage as the agent form's
    are, and the secret of the customer's private link to it (shown once)."""
    await _refuse_when_throttled(session, address, settings)
    suggestion = await classifier.classify(form.title, form.description)
    contact = await contact_for(session, form.email, form.name)
    opened = NewCustomerTicket(contact.id, form.title, form.description, "public form")
    ticket, secret = await open_customer_ticket(session, opened, suggestion)
    now = utcnow()
    # Only the window's submissions are needed: older ones of this address go.
    await session.execute(
        delete(PublicSubmission).where(
            PublicSubmission.address == address, PublicSubmission.at <= now - THROTTLE_WINDOW
        )
    )
    session.add(PublicSubmission(address=address, at=now))
    return ticket, secret


@dataclass(frozen=True, slots=True)
class NewCustomerTicket:
    contact_id: int
    title: str
    description: str
    came_by: str  # "public form", "email"
    follow_up_of: int | None = None  # the ticket it answered, when it could not join it


async def open_customer_ticket(
    session: AsyncSession, new: NewCustomerTicket, suggestion: Suggestion | None
) -> tuple[Ticket, str]:
    """A customer's new ticket (its jobs: triage's labels given, the workflow, duplicate
    detection, as for any new ticket), and the secret of their private link to it."""
    data = TicketCreate(title=new.title, description=new.description)
    ticket = await tickets.create_ticket(session, data, suggestion, By("customer"))
    ticket.contact_id = new.contact_id
    ticket.follow_up_of = new.follow_up_of
    secret = await issue_link(session, ticket.id, new.contact_id)
    record(
        session,
        Change("customer_link.issued", By("customer"), ticket_id=ticket.id, detail=new.came_by),
    )
    if new.follow_up_of is not None:
        record(
            session,
            Change(
                "ticket.follow_up",
                By("customer"),
                ticket_id=ticket.id,
                changes={"follow_up_of": [None, new.follow_up_of]},
                detail=new.came_by,
            ),
        )
    return ticket, secret


async def _refuse_when_throttled(
    session: AsyncSession, address: str, settings: ConversationSettings
) -> None:
    limit = settings.public_tickets_per_hour
    since = utcnow() - THROTTLE_WINDOW
    times = (
        await session.scalars(
            select(PublicSubmission.at)
            .where(PublicSubmission.address == address, PublicSubmission.at > since)
            .order_by(PublicSubmission.at.desc())
            .limit(limit)
        )
    ).all()
    if len(times) >= limit:
        wait = times[-1] + THROTTLE_WINDOW - utcnow()
        raise TooManyRequests(
            "too many tickets from this address; try again later",
            retry_after_seconds=max(1, math.ceil(wait.total_seconds())),
        )


# --- the customer's messages -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerMessageResult:
    outcome: str  # schemas.Outcome's values
    ticket_id: int
    message: ThreadEntry
    follow_up_secret: str | None  # the customer's link to a follow-up ticket


def _follows_up(ticket: Ticket, settings: ConversationSettings, now: datetime) -> bool:
    """Whether a customer's message opens a new ticket: this one was resolved or closed
    longer ago than the reopening period."""
    if Status(ticket.status) not in DONE_STATUSES:
        return False
    done_at = ticket.resolved_at or ticket.updated_at
    return now - done_at > timedelta(days=settings.reopen_days)


def _follow_up_title(title: str) -> str:
    title = title if title.lower().startswith("re: ") else f"Re: {title}"
    return title[:TITLE_MAX].rstrip()


async def customer_message(
    session: AsyncSession,
    ticket_id: int,
    contact_id: int,
    body: str,
    classifier: Classifier,
    settings: ConversationSettings,
) -> CustomerMessageResult:
    """The customer wrote: the ticket no longer waits on them. An open ticket takes the
    message; a resolved or closed one is reopened within the reopening period (which, for
    a merged ticket, makes it a ticket of its own again), and after it a new ticket,
    linked to the old one, starts with the message (and gets a link of its own). A message
    added to a ticket enqueues its `ticket.updated` jobs, as a change of status does (the
    workflow: facts, routing, draft); a follow-up gets a new ticket's jobs."""
    # A follow-up's labels are asked for before the lock: triage can take a while.
    ticket = await tickets.get_ticket(session, ticket_id)
    title = _follow_up_title(ticket.title)
    suggestion = None
    if _follows_up(ticket, settings, utcnow()):
        suggestion = await classifier.classify(title, body)
    await tickets.lock_tickets(session, [ticket_id])
    ticket = await tickets.get_ticket(session, ticket_id, fresh=True)
    now = utcnow()
    changes: dict[str, Any] = {}
    if ticket.waiting_since is not None:
        ticket.waiting_since = None
        changes["waiting"] = [True, False]
    if _follows_up(ticket, settings, now):
        suggestion = suggestion or await classifier.classify(title, body)  # resolved since
        return await _follow_up(session, ticket, contact_id, body, suggestion, changes)
    outcome = "added"
    if Status(ticket.status) in DONE_STATUSES:
        before = ticket.status
        await tickets.apply_change(
            session, ticket, TicketUpdate(status=Status.OPEN), By("customer")
        )
        changes["status"] = [before, ticket.status]
        outcome = "reopened"
    message = Message(
        ticket_id=ticket.id,
        kind=MessageKind.CUSTOMER.value,
        author_contact_id=contact_id,
        body=body,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    record(
        session,
        Change(
            "message.customer",
            By("customer"),
            ticket_id=ticket.id,
            changes=changes,
            detail=f"message {message.id}",
        ),
    )
    await _save(session, ticket, rerun_workflow=True)
    # Triage and duplicate detection read the ticket again with the new words.
    await enqueue_triggered(session, CUSTOMER_WROTE, ticket.id)
    contact = await session.get(Contact, contact_id)
    entry = ThreadEntry(
        id=message.id,
        kind=MessageKind.CUSTOMER,
        body=body,
        created_at=now,
        author_name=contact.name if contact else CUSTOMER_NAME,
        author_user_id=None,
        author_contact_id=contact_id,
        ticket_id=ticket.id,
    )
    return CustomerMessageResult(outcome, ticket.id, entry, None)


async def _follow_up(
    session: AsyncSession,
    old: Ticket,
    contact_id: int,
    body: str,
    suggestion: Suggestion,
    changes: dict[str, Any],
) -> CustomerMessageResult:
    """A new ticket whose description is the customer's message, linked to the old one,
    and the customer's link to it."""
    new = NewCustomerTicket(
        contact_id, _follow_up_title(old.title), body, "resolved too long ago", old.id
    )
    ticket, secret = await open_customer_ticket(session, new, suggestion)
    record(
        session,
        Change(
            "message.customer",
            By("customer"),
            ticket_id=old.id,
            changes={**changes, "follow_up": [None, ticket.id]},
            detail=f"resolved too long ago: follow-up ticket {ticket.id}",
        ),
    )
    if changes:  # it no longer waits on the customer
        await _save(session, old, rerun_workflow=False)
    await session.flush()
    contact = await session.get(Contact, contact_id)
    opening = _opening(ticket, contact.name if contact else None, contact_id)
    return CustomerMessageResult("follow_up", ticket.id, opening, secret)


# --- email: who is on a ticket, and what came with a message -----------------------------


async def participants(session: AsyncSession, ticket: Ticket) -> set[str]:
    """The addresses whose emails join the ticket: its customer's and those copied."""
    addresses = set(
        await session.scalars(select(TicketCc.email).where(TicketCc.ticket_id == ticket.id))
    )
    if ticket.contact_id is not None:
        contact = await session.get(Contact, ticket.contact_id)
        if contact is not None:
            addresses.add(contact.email)
    return addresses


async def copied(session: AsyncSession, ticket_id: int) -> list[str]:
    statement = (
        select(TicketCc.email).where(TicketCc.ticket_id == ticket_id).order_by(TicketCc.email)
    )
    return list(await session.scalars(statement))


async def copy_in(session: AsyncSession, ticket_id: int, emails: Sequence[str]) -> None:
    """Copy these addresses on the ticket (those already on it stay as they are)."""
    rows = [
        {"ticket_id": ticket_id, "email": normal_email(e), "added_at": utcnow()} for e in emails
    ]
    if rows:
        statement = upsert(session, TicketCc, key=["ticket_id", "email"], replace=["email"])
        await session.execute(statement, rows)


@dataclass(frozen=True, slots=True)
class NewAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None
    inline: bool


async def attach(
    session: AsyncSession, ticket_id: int, message_id: int | None, files: Sequence[NewAttachment]
) -> None:
    """Keep the files a customer's message came with (None: the ticket's opening one)."""
    if not files:
        return
    now = utcnow()
    session.add_all(
        Attachment(
            ticket_id=ticket_id,
            message_id=message_id,
            filename=file.filename,
            content_type=file.content_type,
            size=len(file.content),
            content_id=file.content_id,
            inline=file.inline,
            content=file.content,
            created_at=now,
        )
        for file in files
    )
    await session.flush()


async def insert_messages(session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
    """Messages in bulk (demo threads): no events, no jobs, no audit."""
    await insert_rows(session, Message.metadata.tables[Message.__tablename__], rows)
