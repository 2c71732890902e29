"""Agents' notification emails, written to the outbox like any email. Each has a
Message-ID made of what it is about (the ticket, the person, the assignment's audit event
or the customer's message), so a job run twice queues it once."""

from dataclasses import dataclass
from html import escape

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.models import AuditEvent
from supportdesk.auth.models import User
from supportdesk.config import Settings
from supportdesk.conversations import service as conversations
from supportdesk.mail import service as mail
from supportdesk.mail.models import OutboundEmail
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket

EXCERPT_CHARS = 500


@dataclass(frozen=True)
class Notice:
    key: str  # what it is about: the same notice twice has the same key
    subject: str
    text: str


async def assigned(session: AsyncSession, ticket_id: int, settings: Settings) -> bool:
    """Tell the ticket's assignee it is theirs now. Whether an email was queued."""
    ticket = await tickets.get_ticket(session, ticket_id)
    user = await _recipient(session, ticket, settings)
    if user is None or not user.notify_assigned:
        return False
    event = await session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.ticket_id == ticket_id, AuditEvent.action == "ticket.assigned")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    text = f"Ticket #{ticket.id} is yours: {ticket.title}\n\nPriority {ticket.priority}."
    notice = Notice(
        f"assigned.{ticket.id}.{user.id}.{event}",
        f"[#{ticket.id}] Assigned to you: {ticket.title}",
        text,
    )
    return await _send(session, ticket, user, notice, settings)


async def customer_replied(session: AsyncSession, ticket_id: int, settings: Settings) -> bool:
    """Tell the ticket's assignee the customer answered (their words as plain text)."""
    ticket = await tickets.get_ticket(session, ticket_id)
    user = await _recipient(session, ticket, settings)
    if user is None or not user.notify_customer_replied:
        return False
    latest = await conversations.latest_customer_message(session, ticket_id)
    if latest is None:
        return False
    message_id, author, body = latest
    excerpt = body if len(body) <= EXCERPT_CHARS else body[:EXCERPT_CHARS] + "…"
    text = f"{author} wrote on ticket #{ticket.id} ({ticket.title}):\n\n{excerpt}"
    subject = f"[#{ticket.id}] {author} replied: {ticket.title}"
    notice = Notice(f"replied.{ticket.id}.{user.id}.{message_id}", subject, text)
    return await _send(session, ticket, user, notice, settings)


async def _recipient(session: AsyncSession, ticket: Ticket, settings: Settings) -> User | None:
    if not settings.email.enabled or ticket.assignee_id is None:
        return None
    return await session.get(User, ticket.assignee_id)


async def _send(
    session: AsyncSession, ticket: Ticket, user: User, notice: Notice, settings: Settings
) -> bool:
    about = f"notice.{notice.key}"
    message_id = mail.new_message_id(settings.email, about)
    exists = await session.scalar(
        select(OutboundEmail.id).where(OutboundEmail.message_id == message_id)
    )
    if exists is not None:
        return False
    link = f"{settings.base_url}/tickets/{ticket.id}"
    footer = "You get these emails as set in your profile (notifications)."
    outgoing = mail.Outgoing(
        to=[user.email],
        subject=" ".join(notice.subject.split())[:300],
        text_body=f"{notice.text}\n\nOpen it: {link}\n\n--\n{footer}\n",
        html_body=(
            f'<div style="white-space: pre-wrap">{escape(notice.text)}</div>'
            f'<p><a href="{escape(link)}">Open ticket #{ticket.id}</a></p><hr><p>{footer}</p>'
        ),
        automatic=True,
    )
    await mail.queue(session, outgoing, settings.email, about=about)
    return True
