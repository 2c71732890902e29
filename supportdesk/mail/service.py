"""Email out. `queue` writes the email, rendered, in the caller's transaction (with the
reply that causes it) and sends its job; `send` delivers it through SMTP, at most once.

Never twice, however a job dies: before the message itself goes (SMTP DATA) the row is
committed as `sending`; a job that finds an email `sending` knows an earlier attempt died
while the server may have had all of it, and marks it `unconfirmed` instead of sending it
again. An attempt that dies before that point (`connecting`) sent nothing, and the next
one sends. Passing failures (connection errors, 4xx) leave the email queued and raise, so
the job is retried with backoff; a refusal for good (5xx) marks it failed."""

import logging
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

import aiosmtplib
from sqlalchemy import select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.auth.secrets import redact
from supportdesk.config import EmailSettings
from supportdesk.db import Database
from supportdesk.jobs.queue import enqueue
from supportdesk.mail.models import Delivery, InboundEmail, OutboundEmail
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

SEND = "mail.send"
MAX_ERROR_CHARS = 1_000


@dataclass(frozen=True)
class Outgoing:
    to: list[str]
    subject: str
    text_body: str
    html_body: str
    ticket_id: int | None = None
    cc: list[str] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    automatic: bool = False  # sent by the system (an acknowledgement), not a person


def sender(settings: EmailSettings) -> str:
    return formataddr((settings.from_name, settings.from_address))


def new_message_id(settings: EmailSettings, about: str | None = None) -> str:
    """Ours, on the team's domain: random, or made of what the email is `about`, so the
    same email is never queued twice."""
    domain = settings.from_address.rpartition("@")[2] or "supportdesk.invalid"
    return f"<sd.{about or uuid.uuid4().hex}@{domain}>"


async def queue(
    session: AsyncSession,
    email: Outgoing,
    settings: EmailSettings,
    *,
    about: str | None = None,
) -> OutboundEmail:
    """Write the email to the outbox and send its job, both in the caller's transaction:
    it goes out if and only if the change that caused it commits (`about`: see
    new_message_id)."""
    row = OutboundEmail(
        message_id=new_message_id(settings, about),
        ticket_id=email.ticket_id,
        sender=sender(settings),
        to=email.to,
        cc=email.cc,
        subject=email.subject,
        text_body=email.text_body,
        html_body=email.html_body,
        in_reply_to=email.in_reply_to,
        references=email.references,
        automatic=email.automatic,
    )
    session.add(row)
    await session.flush()
    await enqueue(session, SEND, email_id=row.id)
    return row


# A reply names at most this many earlier emails of its ticket (the newest) in References.
MAX_REFERENCES = 20


async def ticket_message_ids(session: AsyncSession, ticket_id: int) -> list[str]:
    """The Message-IDs of the emails of a ticket's conversation so far, both ways, oldest
    first (for References): a reply threads under the customer's last email."""
    sent = select(OutboundEmail.message_id.label("id"), OutboundEmail.created_at.label("at")).where(
        OutboundEmail.ticket_id == ticket_id
    )
    received = select(
        InboundEmail.message_id.label("id"), InboundEmail.received_at.label("at")
    ).where(InboundEmail.ticket_id == ticket_id, InboundEmail.message_id.is_not(None))
    both = union_all(sent, received).subquery()
    statement = select(both.c.id).order_by(both.c.at.desc()).limit(MAX_REFERENCES)
    return list(reversed((await session.scalars(statement)).all()))


async def ticket_of(session: AsyncSession, message_ids: list[str]) -> int | None:
    """The ticket of the first of these Message-IDs that is one of ours, sent or received."""
    found: dict[str, int] = {}
    # Received last: ours win, so an email that copies one of our Message-IDs as its own
    # cannot take a thread over.
    for email in (InboundEmail, OutboundEmail):
        rows = await session.execute(
            select(email.message_id, email.ticket_id).where(
                email.message_id.in_(message_ids), email.ticket_id.is_not(None)
            )
        )
        found |= {key: ticket for key, ticket in rows if key and ticket}
    return next((found[i] for i in message_ids if i in found), None)


async def names_ours(session: AsyncSession, message_ids: list[str]) -> bool:
    """Whether any of these is the Message-ID of an email we sent (unguessable: only who
    received it can name it)."""
    if not message_ids:
        return False
    found = await session.scalar(
        select(OutboundEmail.id).where(OutboundEmail.message_id.in_(message_ids)).limit(1)
    )
    return found is not None


def as_mime(row: OutboundEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = row.sender
    message["To"] = ", ".join(row.to)
    if row.cc:
        message["Cc"] = ", ".join(row.cc)
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.created_at)
    if row.in_reply_to:
        message["In-Reply-To"] = row.in_reply_to
    if row.references:
        message["References"] = " ".join(row.references)
    if row.automatic:  # RFC 3834: auto-responders do not answer it
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


class Refused(Exception):
    """The server refused the email for good (5xx)."""


class TakenOver(Exception):
    """Another attempt took this email over (this one was thought dead): it sends, not us."""


class Deferred(Exception):
    """The server asked us to try again later (4xx): it did not take the message."""


def _answered(exc: aiosmtplib.SMTPResponseException) -> Exception:
    kind = Refused if exc.code >= 500 else Deferred
    return kind(f"{exc.code} {exc.message}")


async def send(database: Database, email_id: int, settings: EmailSettings) -> str:
    """Deliver one queued email (see the module's docstring); its status afterwards.
    Raises on a passing failure, for the job to retry."""
    async with database.transaction() as session:
        row = await session.get(OutboundEmail, email_id, with_for_update=True)
        if row is None:
            return "gone"
        if row.status == Delivery.SENDING:
            _end(row, Delivery.UNCONFIRMED, "an earlier attempt died while sending: not sent again")
            log.warning("mail: email %s may or may not have left; not sent again", email_id)
            return row.status
        if row.status not in (Delivery.QUEUED, Delivery.CONNECTING):
            return row.status  # sent, failed or unconfirmed: nothing more to do
        row.status, row.attempts = Delivery.CONNECTING.value, row.attempts + 1
        attempt, recipients, from_ = row.attempts, [*row.to, *row.cc], row.sender
        try:
            message = as_mime(row)
        except ValueError as exc:  # an address or header no mail can carry
            _end(row, Delivery.FAILED, f"not sendable: {exc}")
            return row.status
    try:
        await _deliver(database, email_id, attempt, settings, message, from_, recipients)
    except TakenOver:
        return "taken over"
    except Refused as exc:
        await _finish(database, email_id, Delivery.FAILED, str(exc))
        return Delivery.FAILED.value
    except Deferred as exc:
        await _finish(database, email_id, Delivery.QUEUED, str(exc))
        raise
    except ValueError as exc:  # an address the server or the library cannot carry
        await _finish(database, email_id, Delivery.FAILED, f"not sendable: {exc}")
        return Delivery.FAILED.value
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        status = await _status(database, email_id)
        # Lost while the message itself was going: it may have arrived. Never twice.
        after = Delivery.UNCONFIRMED if status == Delivery.SENDING else Delivery.QUEUED
        await _finish(database, email_id, after, f"{type(exc).__name__}: {exc}")
        if after is Delivery.QUEUED:
            raise
        return after.value
    await _finish(database, email_id, Delivery.SENT, None)
    return Delivery.SENT.value


async def _deliver(
    database: Database,
    email_id: int,
    attempt: int,
    settings: EmailSettings,
    message: EmailMessage,
    from_: str,
    recipients: list[str],
) -> None:
    client = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        use_tls=settings.smtp_security == "tls",
        start_tls=settings.smtp_security == "starttls",
        timeout=settings.timeout_seconds,
    )
    async with client:
        if settings.smtp_username:
            await client.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        try:
            await client.mail(from_)
            for recipient in recipients:
                await client.rcpt(recipient)
        except aiosmtplib.SMTPResponseException as exc:
            raise _answered(exc) from exc
        # From here the server may get the whole message: committed first, so a job that
        # dies now is never followed by a second copy. Only by the attempt that still owns
        # the email: one thought dead (and taken over) while merely slow stops here.
        async with database.transaction() as session:
            owned = await session.execute(
                update(OutboundEmail)
                .where(
                    OutboundEmail.id == email_id,
                    OutboundEmail.status == Delivery.CONNECTING.value,
                    OutboundEmail.attempts == attempt,
                )
                .values(status=Delivery.SENDING.value)
            )
        if not getattr(owned, "rowcount", 0):
            raise TakenOver
        try:
            await client.data(message.as_bytes())
        except aiosmtplib.SMTPResponseException as exc:
            # An answer to the message: the server did not keep it.
            raise _answered(exc) from exc


async def _status(database: Database, email_id: int) -> str | None:
    async with database.sessions() as session:
        return await session.scalar(
            select(OutboundEmail.status).where(OutboundEmail.id == email_id)
        )


async def _finish(database: Database, email_id: int, status: Delivery, error: str | None) -> None:
    async with database.transaction() as session:
        row = await session.get(OutboundEmail, email_id, with_for_update=True)
        if row is not None:
            _end(row, status, error)


def _end(row: OutboundEmail, status: Delivery, error: str | None) -> None:
    """Record how the attempt ended. Once the email will not be sent again, the secrets it
    carried (a customer's link) are blanked in the stored copy: only hashes stay usable."""
    row.status = status.value
    row.last_error = error[:MAX_ERROR_CHARS] if error else None
    row.sent_at = utcnow() if status is Delivery.SENT else None
    if status is not Delivery.QUEUED:
        row.text_body, row.html_body = redact(row.text_body), redact(row.html_body)
