"""Email in. `receive` keeps an email, raw, and enqueues its job in one transaction (so
what a server was told we took is never lost); `ingest`, the job, reads it once: a
machine's email (auto-reply, bounce, loop) is kept unanswered, a flooding sender's is kept
unread, and a person's joins the ticket it answers or opens one.

Threading, in order: the Message-IDs it answers (In-Reply-To, References) against ours and
the ones we received; the ticket tag in the subject (`[#123]`); the line our emails end
with. Whichever finds a ticket, only its participants (its customer, those copied) join
it: anyone else, a BCC recipient say, opens a new ticket linked to it."""

import asyncio
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr

from sqlalchemy import false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.config import Settings
from supportdesk.conversations import service as conversations
from supportdesk.conversations.service import Mailing, NewAttachment, NewCustomerTicket
from supportdesk.db import Database
from supportdesk.dialect import upsert
from supportdesk.errors import NotFound
from supportdesk.inbox.parse import (
    MAX_ADDRESS,
    MESSAGE_ID,
    ParsedEmail,
    Unreadable,
    dedupe_key,
    parse,
)
from supportdesk.jobs.queue import enqueue
from supportdesk.mail import service as mail
from supportdesk.mail.models import Arrival, InboundEmail
from supportdesk.text import MAX_TEXT_CHARS, printable
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.triage.base import Classifier, Suggestion
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

INGEST = "inbox.ingest"
SUBJECT_TAG = re.compile(r"\[#(\d{1,12})\]")
# The last line of every email we send (conversations._email_reply): found in the quoted
# history of a reply whose headers and subject were lost.
BODY_MARKER = re.compile(r"Ticket #(\d{1,12}): reply to this email")
HEADER_BYTES = 64_000  # what a refused email's headers are read from
TITLE_MAX = 200
SHORTENED = "\n\n[…the email was longer: its whole text is kept with the raw message]"
MERGE_HOPS = 5
ANSWER_WAIT, ANSWER_WAITS = timedelta(seconds=1), 15
# An answer's question is most often being filed by another job at this very moment (the
# two arrived together): a few looks a moment apart find it filed without a second job.
LOOK_AGAIN_SECONDS, LOOKS = 0.05, 20
ARRIVING_LOOKS = 10  # half a second for a question we have not received yet
MAX_MESSAGE_ID = 998  # the longest header line email allows
JOINED = {"added": Arrival.ADDED, "reopened": Arrival.REOPENED, "follow_up": Arrival.OPENED}


@dataclass(frozen=True)
class Received:
    email_id: int | None  # None: seen before (the same Message-ID), kept once
    status: Arrival


def headers(raw: bytes) -> tuple[str | None, str, str]:
    """Message-ID, sender and subject, from the start of the email only."""
    head = BytesParser(policy=policy.compat32).parsebytes(raw[:HEADER_BYTES], headersonly=True)
    ids = MESSAGE_ID.findall(str(head.get("Message-ID", "")))
    sender = parseaddr(str(head.get("From", "")))[1].lower()
    subject = printable(" ".join(str(head.get("Subject", "")).split()))
    message_id = ids[0] if ids and len(ids[0]) <= MAX_MESSAGE_ID else None
    return message_id, sender[:320], subject[:300]


async def receive(session: AsyncSession, raw: bytes, via: str, settings: Settings) -> Received:
    """Keep the email and enqueue its job, in the caller's transaction. One over the size
    limit is recorded as refused, without its content."""
    message_id, sender, subject = headers(raw)
    limit = settings.email.max_message_bytes
    if len(raw) > limit:
        await refuse(session, via, sender, subject, len(raw), limit)
        return Received(None, Arrival.REFUSED)
    row = {
        "dedupe_key": dedupe_key(message_id, sender, raw),
        "message_id": message_id,
        "via": via,
        "sender": sender,
        "subject": subject,
        "size": len(raw),
        "raw": raw,
        "status": Arrival.RECEIVED.value,
        "received_at": utcnow(),
    }
    # The same email again (a re-poll, a server's retry): nothing new.
    statement = upsert(
        session, InboundEmail, key=["dedupe_key"], replace=["dedupe_key"], where=false()
    )
    email_id = await session.scalar(statement.values(row).returning(InboundEmail.id))
    if email_id is None:
        return Received(None, Arrival.RECEIVED)
    await enqueue(session, INGEST, email_id=email_id)
    return Received(email_id, Arrival.RECEIVED)


async def refuse(
    session: AsyncSession, via: str, sender: str, subject: str, size: int, limit: int
) -> None:
    """Record an email refused for its size (the sender's server was told): nothing of it
    is kept but who sent it and what it was about."""
    session.add(
        InboundEmail(
            dedupe_key=uuid.uuid4().hex,
            via=via,
            sender=sender[:320],
            subject=subject[:300],
            size=size,
            raw=None,
            status=Arrival.REFUSED.value,
            reason=f"{size} bytes is over the limit of {limit} bytes",
            processed_at=utcnow(),
        )
    )
    await session.flush()


# --- reading one email ---------------------------------------------------------------------


async def ingest(
    database: Database,
    email_id: int,
    classifier: Classifier,
    settings: Settings,
    *,
    waited: int = 0,
) -> Arrival:
    """File one received email (idempotent: one already filed is left as it is). One that
    answers an email not filed yet is put back in the queue for a moment, a few times (so
    it finds that email's ticket), then filed anyway (a new ticket at worst)."""
    async with database.sessions() as session:
        raw = await session.scalar(
            select(InboundEmail.raw).where(
                InboundEmail.id == email_id, InboundEmail.status == Arrival.RECEIVED.value
            )
        )
        if raw is None:
            return Arrival.ADDED  # filed already, or gone
        try:
            parsed = parse(raw)
        except Unreadable as error:
            await _unreadable(database, email_id, str(error))
            return Arrival.IGNORED
        wait = waited < ANSWER_WAITS and await _question_unfiled(
            session, email_id, parsed, first_look=waited == 0
        )
        found = None if wait else await _ticket_answered(session, parsed)
        joins = found is not None and parsed.sender in await conversations.participants(
            session, found
        )
    if wait:
        async with database.transaction() as session:
            later = utcnow() + ANSWER_WAIT
            await enqueue(session, INGEST, after=later, email_id=email_id, waited=waited + 1)
        return Arrival.RECEIVED
    # A new ticket's labels are asked for outside the transaction: triage takes a while.
    suggestion = None
    if not joins and not parsed.automatic:
        suggestion = await classifier.classify(_title(parsed), _body(parsed))
    async with database.transaction() as session:
        row = await session.get(InboundEmail, email_id, with_for_update=True)
        if row is None or row.status != Arrival.RECEIVED:
            return Arrival(row.status) if row else Arrival.ADDED
        row.html, row.processed_at = parsed.html, utcnow()
        if _usable(parsed.sender):  # the address the flood limit counts, as parsed
            row.sender = parsed.sender
        why_not = (
            parsed.automatic
            or _own(parsed, settings)
            or _no_sender(parsed)
            or _forged(parsed, settings)
        )
        if why_not:
            row.status, row.reason = Arrival.IGNORED.value, why_not
            if parsed.automatic:  # a report on one of our emails: noted against its ticket
                row.ticket_id = await _ticket_id_of_report(session, raw)
            return Arrival.IGNORED
        if await _flooding(session, parsed.sender, settings):
            row.status = Arrival.THROTTLED.value
            row.reason = (
                f"over {settings.email.per_sender_per_hour} emails from this sender in an hour"
            )
            return Arrival.THROTTLED
        await _file(session, row, parsed, found, suggestion, classifier, settings)
        return Arrival(row.status)


async def _file(
    session: AsyncSession,
    row: InboundEmail,
    parsed: ParsedEmail,
    answered: Ticket | None,
    suggestion: Suggestion | None,
    classifier: Classifier,
    settings: Settings,
) -> None:
    contact = await conversations.contact_for(session, parsed.sender, _name(parsed))
    found = await tickets.get_ticket(session, answered.id, fresh=True) if answered else None
    files = [
        NewAttachment(f.filename, f.content_type, f.content, f.content_id, f.inline)
        for f in parsed.files
    ]
    others = _copied(parsed, settings)
    if found is not None and parsed.sender in await conversations.participants(session, found):
        result = await conversations.customer_message(
            session, found.id, contact.id, _body(parsed), classifier, settings.conversations
        )
        opening = result.outcome == "follow_up"
        await conversations.attach(
            session, result.ticket_id, None if opening else result.message.id, files
        )
        # The customer decides who is copied, in an answer to an email of ours: a tag or
        # marker anyone can type, and a From anyone can forge, add no one.
        answers_ours = await mail.names_ours(session, [*parsed.in_reply_to, *parsed.references])
        if found.contact_id == contact.id and answers_ours:
            await conversations.copy_in(session, result.ticket_id, others)
        row.status, row.ticket_id = JOINED[result.outcome].value, result.ticket_id
        row.conversation_message_id = None if opening else result.message.id
        return
    new = NewCustomerTicket(
        contact.id,
        _title(parsed),
        _body(parsed),
        "email",
        follow_up_of=found.id if found is not None else None,
    )
    ticket, secret = await conversations.open_customer_ticket(session, new, suggestion)
    await conversations.attach(session, ticket.id, None, files)
    await conversations.copy_in(session, ticket.id, others)
    row.status, row.ticket_id = Arrival.OPENED.value, ticket.id
    if found is not None:
        row.reason = f"from {parsed.sender}, who is not on ticket {found.id}: a new linked ticket"
    if settings.email.acknowledge and settings.email.enabled:
        mailing = Mailing(settings.email, settings.base_url)
        await conversations.acknowledge(session, ticket, secret, mailing, parsed.message_id)


async def _unreadable(database: Database, email_id: int, why: str) -> None:
    """Kept, raw, for a person to look at; never filed, never retried."""
    async with database.transaction() as session:
        row = await session.get(InboundEmail, email_id, with_for_update=True)
        if row is not None and row.status == Arrival.RECEIVED:
            row.status, row.reason = Arrival.IGNORED.value, f"unreadable: {why}"
            row.processed_at = utcnow()


async def _question_unfiled(
    session: AsyncSession, email_id: int, parsed: ParsedEmail, *, first_look: bool
) -> bool:
    """Whether an email this one answers is still unfiled after a moment's looking. On the
    first look, an answer to an email we have not even received yet also waits a moment:
    sent right after it over another connection, it may be about to arrive."""
    for look in range(LOOKS):
        unfiled = await _answers_unfiled(session, email_id, parsed)
        arriving = first_look and look < ARRIVING_LOOKS and await _answers_unknown(session, parsed)
        if not unfiled and not arriving:
            return False
        await session.rollback()  # each look sees what other jobs committed since
        await asyncio.sleep(LOOK_AGAIN_SECONDS)
    return unfiled


async def _answers_unknown(session: AsyncSession, parsed: ParsedEmail) -> bool:
    """Whether the email it replies to is one we neither sent nor received."""
    if not parsed.in_reply_to:
        return False
    received = await session.scalar(
        select(InboundEmail.id).where(InboundEmail.message_id.in_(parsed.in_reply_to)).limit(1)
    )
    return received is None and not await mail.names_ours(session, parsed.in_reply_to)


async def _answers_unfiled(session: AsyncSession, email_id: int, parsed: ParsedEmail) -> bool:
    """Whether an email it answers is here but not filed yet: an answer sent right after
    its question can reach us first (two servers, two connections), or be picked up by
    another worker at the same moment."""
    answered = [*parsed.in_reply_to, *parsed.references]
    if not answered:
        return False
    waiting = await session.scalar(
        select(InboundEmail.id)
        .where(
            InboundEmail.message_id.in_(answered),
            InboundEmail.status == Arrival.RECEIVED.value,
            InboundEmail.id != email_id,
        )
        .limit(1)
    )
    return waiting is not None


async def _ticket_answered(session: AsyncSession, parsed: ParsedEmail) -> Ticket | None:
    """The ticket this email answers, by its headers, then its subject's tag, then the
    marker in its quoted text; a merged ticket's conversation goes on where it went."""
    ticket_id = await mail.ticket_of(session, [*parsed.in_reply_to, *reversed(parsed.references)])
    for pattern, text in ((SUBJECT_TAG, parsed.subject), (BODY_MARKER, parsed.text)):
        if ticket_id is None and (match := pattern.search(text)):
            ticket_id = int(match.group(1))
    ticket = None
    for _ in range(MERGE_HOPS):
        if ticket_id is None:
            break
        try:
            ticket = await tickets.get_ticket(session, ticket_id)
        except NotFound:
            return ticket
        ticket_id = ticket.duplicate_of
    return ticket


async def _ticket_id_of_report(session: AsyncSession, raw: bytes) -> int | None:
    """The ticket of the email a delivery report is about (its Message-ID is quoted in
    the report), for the record."""
    quoted = re.findall(rb"<(sd\.[0-9a-f]{32}@[^<>\s]+)>", raw)
    return await mail.ticket_of(session, [f"<{q.decode()}>" for q in quoted]) if quoted else None


async def _flooding(session: AsyncSession, sender: str, settings: Settings) -> bool:
    filed = [Arrival.ADDED.value, Arrival.REOPENED.value, Arrival.OPENED.value]
    count = await session.scalar(
        select(func.count())
        .select_from(InboundEmail)
        .where(
            InboundEmail.sender == sender,
            InboundEmail.received_at > utcnow() - timedelta(hours=1),
            InboundEmail.status.in_(filed),
        )
    )
    return (count or 0) >= settings.email.per_sender_per_hour


def _usable(address: str) -> bool:
    return "@" in address and len(address) <= MAX_ADDRESS


def _no_sender(parsed: ParsedEmail) -> str | None:
    return None if _usable(parsed.sender) else "no usable sender address"


def _forged(parsed: ParsedEmail, settings: Settings) -> str | None:
    """Why a trusted receiving server says the From is not the sender's: DMARC failed, or
    (without a DMARC result) SPF failed and no DKIM signature passed. Only the topmost
    verdict of a trusted server counts: a sender can write any header below it."""
    trusted = settings.email.trusted_verifiers
    verdict = next((v for v in parsed.verdicts if v.checked_by in trusted), None)
    if verdict is None:
        return None
    results = verdict.results
    failed = results.get("dmarc") == "fail" or (
        "dmarc" not in results and results.get("spf") == "fail" and results.get("dkim") != "pass"
    )
    if not failed:
        return None
    shown = ", ".join(f"{method}={result}" for method, result in sorted(results.items()))
    return f"the sender is not verified ({shown} by {verdict.checked_by})"


def _own(parsed: ParsedEmail, settings: Settings) -> str | None:
    if parsed.sender in settings.email.own_addresses:
        return "from our own address (a loop)"
    return None


def _copied(parsed: ParsedEmail, settings: Settings) -> list[str]:
    ours = {*settings.email.own_addresses, parsed.sender}
    return [address for address in dict.fromkeys(parsed.recipients) if address not in ours]


def _name(parsed: ParsedEmail) -> str:
    name = printable(parsed.sender_name)[:100]
    return name or parsed.sender.partition("@")[0][:100] or "Customer"


def _title(parsed: ParsedEmail) -> str:
    title = parsed.topic or next((line for line in _body(parsed).splitlines() if line.strip()), "")
    return printable(title)[:TITLE_MAX].strip() or "(no subject)"


def _body(parsed: ParsedEmail) -> str:
    body = parsed.reply.strip()
    if not body:
        names = ", ".join(f.filename for f in parsed.files if not f.inline)
        body = f"(no text; attached: {names})" if names else "(an empty email)"
    if len(body) > MAX_TEXT_CHARS:
        body = body[: MAX_TEXT_CHARS - len(SHORTENED)] + SHORTENED
    return body
