"""The customers' side beyond one private link: a customer signs in by a one-time link an
agent gives them (by email once email exists: `new_sign_in_link` returns the secret to
send), and sees every ticket of theirs and, when an admin lets their organisation share,
their organisation's. Takes a session and plain values; never commits, never imports
FastAPI."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import By, Change, record
from supportdesk.auth.actor import CustomerAccess
from supportdesk.auth.secrets import new_token, token_hash
from supportdesk.auth.service import TOUCH_EVERY
from supportdesk.config import ConversationSettings
from supportdesk.conversations.models import (
    Contact,
    CustomerLink,
    CustomerSession,
    CustomerSignInLink,
    Organisation,
)
from supportdesk.conversations.service import Mailing
from supportdesk.db import delete_all
from supportdesk.dialect import upsert
from supportdesk.errors import Conflict, NotFound, Unauthorized
from supportdesk.mail import service as mail
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.types import utcnow

SIGN_IN_LINK_LIFETIME = timedelta(hours=24)
SESSION_PREFIX = "sdp"  # a customer session's secret; a private link's is "sdc"
BAD_SIGN_IN_LINK = "this sign-in link is not valid: it was used, it expired, or it never existed"
LISTED = 100


class CustomerLinks:
    """Private links and customer sessions, as the `customer` access rule reads them
    (auth.access.CustomerLinks): both are sent as X-Customer-Token."""

    def __init__(self, settings: ConversationSettings) -> None:
        self.link_idle = timedelta(days=settings.link_idle_days)
        self.session_idle = timedelta(days=settings.session_idle_days)

    async def find(self, session: AsyncSession, secret: str) -> CustomerAccess | None:
        now = utcnow()
        if secret.startswith(f"{SESSION_PREFIX}_"):
            row = (
                await session.execute(
                    select(
                        CustomerSession.id, CustomerSession.contact_id, CustomerSession.last_used_at
                    ).where(
                        CustomerSession.token_hash == token_hash(secret),
                        CustomerSession.ended_at.is_(None),
                        CustomerSession.last_used_at > now - self.session_idle,
                    )
                )
            ).first()
            if row is None:
                return None
            session_id, contact_id, last_used_at = row
            return CustomerAccess(session_id, None, contact_id, now - last_used_at > TOUCH_EVERY)
        found = (
            await session.execute(
                select(
                    CustomerLink.id,
                    CustomerLink.ticket_id,
                    CustomerLink.contact_id,
                    CustomerLink.last_used_at,
                ).where(
                    CustomerLink.token_hash == token_hash(secret),
                    CustomerLink.revoked_at.is_(None),
                    CustomerLink.last_used_at > now - self.link_idle,
                )
            )
        ).first()
        if found is None:
            return None
        link_id, ticket_id, contact_id, last_used_at = found
        return CustomerAccess(link_id, ticket_id, contact_id, now - last_used_at > TOUCH_EVERY)

    async def touch(self, session: AsyncSession, access: CustomerAccess) -> None:
        table = CustomerSession if access.signed_in else CustomerLink
        await session.execute(
            update(table).where(table.id == access.credential_id).values(last_used_at=utcnow())
        )


# --- signing customers in ----------------------------------------------------------------


async def email_sign_in_link(
    session: AsyncSession, ticket_id: int, by: By, mailing: Mailing | None
) -> tuple[str, datetime]:
    """Email the ticket's customer a one-time link that signs them in to all their tickets:
    to their address only, since anyone can file a ticket under any address and the link
    opens every ticket of that address. The address it went to (partly hidden) and when
    the link expires. 409 without a customer, or without an SMTP server."""
    ticket = await tickets.get_ticket(session, ticket_id)
    if ticket.contact_id is None:
        raise Conflict(f"ticket {ticket_id} has no customer to sign in (it was not filed by one)")
    if mailing is None:
        raise Conflict("sign-in links are sent by email only: set EMAIL_SMTP_HOST")
    contact = await session.get(Contact, ticket.contact_id)
    assert contact is not None
    secret = new_token("sds")
    expires_at = utcnow() + SIGN_IN_LINK_LIFETIME
    session.add(
        CustomerSignInLink(
            token_hash=token_hash(secret), contact_id=contact.id, expires_at=expires_at
        )
    )
    link = f"{mailing.base_url}/c#signin={secret}"
    text = (
        f"Hello {contact.name},\n\nOpen this link to see and answer all your tickets with "
        f"us. It works once, within a day:\n\n{link}\n\n{mailing.settings.from_name}\n"
    )
    html = (
        f"<p>Hello {escape(contact.name)},</p><p>Open this link to see and answer all your "
        f'tickets with us. It works once, within a day:</p><p><a href="{escape(link)}">'
        f"Sign in to your tickets</a></p><p>{escape(mailing.settings.from_name)}</p>"
    )
    email = mail.Outgoing([contact.email], "Sign in to your tickets", text, html, ticket.id)
    await mail.queue(session, email, mailing.settings)
    record(session, Change("customer.sign_in_link", by, ticket_id=ticket_id))
    return _hidden(contact.email), expires_at


def _hidden(address: str) -> str:
    """ "a***@example.com": enough for an agent to tell the customer where to look."""
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


async def sign_in(session: AsyncSession, secret: str) -> tuple[str, Contact]:
    """Use a sign-in link (once: claimed in one statement, so two uses at once cannot
    both work): a new customer session's secret, shown once, and who it is."""
    now = utcnow()
    contact_id = await session.scalar(
        update(CustomerSignInLink)
        .where(
            CustomerSignInLink.token_hash == token_hash(secret),
            CustomerSignInLink.used_at.is_(None),
            CustomerSignInLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(CustomerSignInLink.contact_id)
    )
    if contact_id is None:
        raise Unauthorized(BAD_SIGN_IN_LINK)
    token = new_token(SESSION_PREFIX)
    session.add(CustomerSession(token_hash=token_hash(token), contact_id=contact_id))
    contact = await session.get(Contact, contact_id)
    assert contact is not None  # the link's row references it
    record(session, Change("customer.signed_in", By("customer"), detail=f"contact {contact_id}"))
    return token, contact


async def sign_out(session: AsyncSession, access: CustomerAccess) -> None:
    """End a customer session (a private link is not a sign-in: it stays)."""
    if access.signed_in:
        await session.execute(
            update(CustomerSession)
            .where(CustomerSession.id == access.credential_id)
            .values(ended_at=utcnow())
        )


# --- what a customer sees ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerTicketItem:
    id: int
    title: str
    status: str
    updated_at: datetime
    filed_by: str
    waiting_on_you: bool


@dataclass(frozen=True, slots=True)
class CustomerTickets:
    contact: Contact
    shared: bool  # the organisation's tickets are listed too
    items: list[CustomerTicketItem]


async def _sharing(session: AsyncSession, organisation: str | None) -> bool:
    if organisation is None:
        return False
    return bool(
        await session.scalar(
            select(Organisation.share_tickets).where(Organisation.name == organisation)
        )
    )


async def customer_tickets(session: AsyncSession, access: CustomerAccess) -> CustomerTickets:
    """A signed-in customer's tickets and, when shared, their organisation's, latest
    activity first; a private link's one ticket."""
    contact = await session.get(Contact, access.contact_id)
    if contact is None:
        raise NotFound("this customer no longer exists")
    shared = access.signed_in and await _sharing(session, contact.organisation)
    statement = (
        select(
            Ticket.id,
            Ticket.title,
            Ticket.status,
            Ticket.updated_at,
            Contact.name,
            Ticket.waiting_since.is_not(None),
        )
        .join(Contact, Contact.id == Ticket.contact_id)
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(LISTED)
    )
    if access.ticket_id is not None:
        statement = statement.where(Ticket.id == access.ticket_id)
    elif shared:
        statement = statement.where(
            or_(Ticket.contact_id == contact.id, Contact.organisation == contact.organisation)
        )
    else:
        statement = statement.where(Ticket.contact_id == contact.id)
    items = [CustomerTicketItem(*row) for row in await session.execute(statement)]
    return CustomerTickets(contact, shared, items)


async def ensure_customer_sees(
    session: AsyncSession, access: CustomerAccess, ticket_id: int
) -> None:
    """NotFound unless this customer may see the ticket: a link's own ticket; signed in,
    their own, or their organisation's when it shares. Another's answers like a missing one."""
    if access.ticket_id is not None:
        if ticket_id == access.ticket_id:
            return
        raise NotFound(f"ticket {ticket_id} does not exist")
    row = (
        await session.execute(
            select(Ticket.contact_id, Contact.organisation)
            .join(Contact, Contact.id == Ticket.contact_id)
            .where(Ticket.id == ticket_id)
        )
    ).first()
    mine = await session.get(Contact, access.contact_id)
    if row is not None and mine is not None:
        owner, organisation = row
        if owner == mine.id:
            return
        same = organisation is not None and organisation == mine.organisation
        if same and await _sharing(session, organisation):
            return
    raise NotFound(f"ticket {ticket_id} does not exist")


# --- organisations, by admins and agents -------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    name: str
    contacts: int
    share_tickets: bool


async def organisations(session: AsyncSession) -> list[OrganisationInfo]:
    """Every organisation a contact names, with how many contacts and whether it shares."""
    rows = await session.execute(
        select(Contact.organisation, func.count(), func.coalesce(Organisation.share_tickets, False))
        .outerjoin(Organisation, Organisation.name == Contact.organisation)
        .where(Contact.organisation.is_not(None))
        .group_by(Contact.organisation, Organisation.share_tickets)
        .order_by(Contact.organisation)
    )
    return [
        OrganisationInfo(name, count, bool(shares))
        for name, count, shares in rows
        if name is not None  # filtered in SQL already; this tells the type checker
    ]


async def set_sharing(session: AsyncSession, name: str, share: bool, by: By) -> OrganisationInfo:
    """Whether the organisation's signed-in customers see each other's tickets."""
    found = {info.name: info for info in await organisations(session)}
    if name not in found:
        raise NotFound(f"no contact belongs to an organisation named {name!r}")
    before = found[name].share_tickets
    # Two admins at once: one row either way.
    statement = upsert(session, Organisation, key=["name"], replace=("share_tickets", "updated_at"))
    await session.execute(
        statement, [{"name": name, "share_tickets": share, "updated_at": utcnow()}]
    )
    if before != share:
        changes = {"share_tickets": [before, share]}
        record(session, Change("organisation.sharing", by, changes=changes, detail=name))
    return OrganisationInfo(name, found[name].contacts, share)


async def set_organisation(
    session: AsyncSession, contact_id: int, organisation: str | None, by: By, *, admin: bool
) -> Contact:
    """Put a customer in an organisation (or none). Only an admin may put one in an
    organisation that shares its tickets: that shows them every ticket of it."""
    contact = await session.get(Contact, contact_id, with_for_update=True)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    if not admin and organisation != contact.organisation and await _sharing(session, organisation):
        raise Conflict(
            f"{organisation} shares its tickets among its customers: only an admin may add one",
            {"organisation": ["shares its tickets: an admin's decision"]},
        )
    if contact.organisation != organisation:
        record(
            session,
            Change(
                "contact.organisation",
                by,
                changes={"organisation": [contact.organisation, organisation]},
                detail=f"contact {contact_id}",
            ),
        )
        contact.organisation = organisation
    return contact


async def ensure_agent_sees_contact(
    session: AsyncSession, contact_id: int, teams: list[str] | None
) -> None:
    """NotFound unless the contact filed a ticket these teams see (None: every team)."""
    statement = select(Ticket.id).where(Ticket.contact_id == contact_id).limit(1)
    if teams is not None:
        statement = statement.where(or_(Ticket.team.in_(teams), Ticket.team.is_(None)))
    if await session.scalar(statement) is None:
        raise NotFound(f"contact {contact_id} does not exist")


async def end_access_to(session: AsyncSession, ticket_id: int) -> None:
    """The ticket's customer's sessions end and their unused sign-in links die (with the
    ticket's private links, when an agent revokes them: the customer may not be who they
    said)."""
    ticket = await tickets.get_ticket(session, ticket_id)
    if ticket.contact_id is None:
        return
    contact_id, now = ticket.contact_id, utcnow()
    await session.execute(
        update(CustomerSession)
        .where(CustomerSession.contact_id == contact_id, CustomerSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    await session.execute(
        update(CustomerSignInLink)
        .where(CustomerSignInLink.contact_id == contact_id, CustomerSignInLink.used_at.is_(None))
        .values(used_at=now)
    )


async def prune(session: AsyncSession, settings: ConversationSettings, now: datetime) -> int:
    """Delete customer sessions ended or idle for twice their idle period, and sign-in
    links used or expired a day ago. How many rows."""
    idle_since = now - 2 * timedelta(days=settings.session_idle_days)
    day_ago = now - timedelta(days=1)
    statements = [
        delete(CustomerSession).where(
            or_(CustomerSession.ended_at <= idle_since, CustomerSession.last_used_at <= idle_since)
        ),
        delete(CustomerSignInLink).where(
            or_(CustomerSignInLink.used_at <= day_ago, CustomerSignInLink.expires_at <= day_ago)
        ),
    ]
    return await delete_all(session, statements)
