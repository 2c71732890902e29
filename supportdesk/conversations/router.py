"""HTTP endpoints of the conversation: the agents' thread, the public form, the customer's
view by their private link. Parse, call the service, shape the answer."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import By
from supportdesk.auth.access import Admin, Agent, Customer, Public, Viewer
from supportdesk.auth.actor import CustomerAccess, Role
from supportdesk.conversations import portal, service
from supportdesk.conversations.models import MessageKind
from supportdesk.conversations.schemas import (
    ContactChange,
    ContactOut,
    CustomerLinkOut,
    CustomerMessageCreate,
    CustomerMessageSent,
    CustomerSessionOut,
    CustomerSignIn,
    CustomerSignInSent,
    CustomerTicketItemOut,
    CustomerTicketOut,
    CustomerTicketsOut,
    LinksRevoked,
    MessageCreate,
    MessageOut,
    OrganisationOut,
    OrganisationSharing,
    Outcome,
    PublicMessageOut,
    PublicTicketCreate,
    ThreadOut,
    thread_out,
)
from supportdesk.deps import ReadSessionDep, SessionDep, TicketId, settings_of
from supportdesk.errors import NotFound
from supportdesk.problems import problem_responses
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.triage.base import Classifier
from supportdesk.triage.deps import ClassifierDep
from supportdesk.types import MAX_ID

router = APIRouter(tags=["conversations"])


def _message_out(entry: service.ThreadEntry) -> MessageOut:
    return MessageOut.model_validate(entry, from_attributes=True)


def _public_out(entry: service.ThreadEntry) -> PublicMessageOut:
    return PublicMessageOut.model_validate(entry, from_attributes=True)


def _link_out(request: Request, ticket_id: int, secret: str) -> CustomerLinkOut:
    settings = settings_of(request)
    base = settings.auth.base_url(str(request.base_url))
    # In the fragment: browsers send it to no server, nor in a Referer.
    return CustomerLinkOut(
        ticket_id=ticket_id,
        url=f"{base}/c#{secret}",
        idle_days=settings.conversations.link_idle_days,
    )


def _mailing(request: Request) -> service.Mailing | None:
    """How email goes out of this server, or None when no SMTP server is set."""
    settings = settings_of(request)
    if not settings.email.enabled:
        return None
    return service.Mailing(settings.email, settings.auth.base_url(str(request.base_url)))


# --- agents ------------------------------------------------------------------------------


@router.get(
    "/api/tickets/{ticket_id:int}/messages", response_model=ThreadOut, operation_id="listMessages"
)
async def list_messages(
    ticket_id: VisibleTicketId, session: ReadSessionDep, _: Viewer
) -> ThreadOut:
    """The ticket's thread, oldest first: its description as message 0, then the
    customer's messages, public replies and internal notes."""
    return thread_out(await service.thread(session, ticket_id))


@router.get(
    "/api/tickets/{ticket_id:int}/attachments/{attachment_id:int}",
    response_class=Response,
    operation_id="downloadAttachment",
    responses={
        200: {
            "description": "the file, as it came (always a download, never shown as a page)",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def download_attachment(
    ticket_id: VisibleTicketId,
    attachment_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: ReadSessionDep,
    _: Viewer,
) -> Response:
    """A file a customer's email came with. Served as an inert download whatever type the
    sender declared: an HTML or SVG file never runs as this site's page."""
    found = await service.attachment(session, ticket_id, attachment_id)
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename, safe='')}"
    headers = {"Content-Disposition": disposition, "Content-Security-Policy": "sandbox"}
    return Response(found.content, media_type="application/octet-stream", headers=headers)


@router.post(
    "/api/tickets/{ticket_id:int}/messages",
    response_model=MessageOut,
    status_code=201,
    operation_id="createMessage",
    responses=problem_responses(409),
)
async def create_message(
    ticket_id: VisibleTicketId,
    body: MessageCreate,
    request: Request,
    session: SessionDep,
    actor: Agent,
) -> MessageOut:
    """A public reply (the ticket then waits on the customer) or an internal note;
    `resolve` also resolves the ticket. A merged ticket answers 409 naming the ticket it
    was merged into."""
    entry = await service.post_message(
        session,
        ticket_id,
        MessageKind(body.kind),
        body.body,
        resolve=body.resolve,
        author_user_id=actor.user_id,
        mailing=_mailing(request),
    )
    return _message_out(entry)


@router.post(
    "/api/tickets/{ticket_id:int}/typing",
    status_code=204,
    operation_id="announceTyping",
)
async def announce_typing(ticket_id: VisibleTicketId, session: SessionDep, actor: Agent) -> None:
    """The signed-in agent is writing to this ticket: everyone on it sees so live (a
    `typing` event naming them). The UI sends it every few seconds while they type."""
    await service.typing(session, ticket_id, actor.user_id)


@router.post(
    "/api/tickets/{ticket_id:int}/customer-links",
    response_model=CustomerLinkOut,
    status_code=201,
    operation_id="createCustomerLink",
    responses=problem_responses(409),
)
async def create_customer_link(
    ticket_id: VisibleTicketId, request: Request, session: SessionDep, actor: Agent
) -> CustomerLinkOut:
    """A new private link for the ticket's customer, shown this once (to pass on to them);
    409 for a ticket no customer filed."""
    secret = await service.new_link(session, ticket_id, By.user(actor.user_id))
    return _link_out(request, ticket_id, secret)


@router.delete(
    "/api/tickets/{ticket_id:int}/customer-links",
    response_model=LinksRevoked,
    operation_id="revokeCustomerLinks",
)
async def revoke_customer_links(
    ticket_id: VisibleTicketId, session: SessionDep, actor: Agent
) -> LinksRevoked:
    """Every private link to the ticket stops working at once; its customer's sessions
    and unused sign-in links end too."""
    revoked = await service.revoke_links(session, ticket_id, By.user(actor.user_id))
    await portal.end_access_to(session, ticket_id)
    return LinksRevoked(ticket_id=ticket_id, revoked=revoked)


# --- the public form ---------------------------------------------------------------------


@router.post(
    "/api/public/tickets",
    response_model=CustomerLinkOut,
    status_code=201,
    operation_id="createPublicTicket",
    responses=problem_responses(429),
)
async def create_public_ticket(
    body: PublicTicketCreate,
    request: Request,
    session: SessionDep,
    classifier: ClassifierDep,
    _: Public,
) -> CustomerLinkOut:
    """File a ticket as a customer (no sign-in); triage labels it. The answer holds the
    customer's private link to it, shown this once. Limited per client address."""
    address = request.client.host if request.client else "unknown"
    form = service.PublicTicket(body.name, body.email, body.title, body.description)
    settings = settings_of(request).conversations
    ticket, secret = await service.file_public_ticket(session, form, address, classifier, settings)
    return _link_out(request, ticket.id, secret)


# --- the customer's view (by the private link, sent as X-Customer-Token) ----------------


@router.get(
    "/api/customer/ticket", response_model=CustomerTicketOut, operation_id="getCustomerTicket"
)
async def get_customer_ticket(session: ReadSessionDep, customer: Customer) -> CustomerTicketOut:
    """The link's ticket: its status and the public thread (the customer's messages and
    agents' replies, never internal notes)."""
    return await _customer_ticket(session, _own_ticket(customer))


def _own_ticket(customer: CustomerAccess) -> int:
    """A private link's ticket; a signed-in customer names one in the path instead."""
    if customer.ticket_id is None:
        raise NotFound("signed in, open a ticket from your list: /api/customer/tickets")
    return customer.ticket_id


async def _customer_ticket(session: AsyncSession, ticket_id: int) -> CustomerTicketOut:
    found = await service.thread(session, ticket_id, public_only=True)
    return CustomerTicketOut(
        id=found.ticket.id,
        title=found.ticket.title,
        status=found.ticket.status,
        created_at=found.ticket.created_at,
        messages=[_public_out(entry) for entry in found.messages],
    )


@router.post(
    "/api/customer/messages",
    response_model=CustomerMessageSent,
    status_code=201,
    operation_id="createCustomerMessage",
)
async def create_customer_message(
    body: CustomerMessageCreate,
    request: Request,
    session: SessionDep,
    classifier: ClassifierDep,
    customer: Customer,
) -> CustomerMessageSent:
    """Write to the link's ticket. A resolved or closed ticket is reopened within
    `CONVERSATIONS_REOPEN_DAYS` of its resolution; after that the message starts a new
    ticket linked to the old one, and the answer holds the customer's link to it."""
    return await _customer_writes(
        request, session, _own_ticket(customer), customer, body.body, classifier
    )


async def _customer_writes(
    request: Request,
    session: AsyncSession,
    ticket_id: int,
    customer: CustomerAccess,
    body: str,
    classifier: Classifier,
) -> CustomerMessageSent:
    settings = settings_of(request).conversations
    sent = await service.customer_message(
        session, ticket_id, customer.contact_id, body, classifier, settings
    )
    link = sent.follow_up_secret
    return CustomerMessageSent(
        outcome=Outcome(sent.outcome),
        ticket_id=sent.ticket_id,
        message=_public_out(sent.message),
        follow_up_link=_link_out(request, sent.ticket_id, link) if link else None,
    )


# --- the customers' portal (signed in by a one-time link) --------------------------------


@router.post(
    "/api/tickets/{ticket_id:int}/customer-sign-in-link",
    response_model=CustomerSignInSent,
    status_code=201,
    operation_id="createCustomerSignInLink",
    responses=problem_responses(409),
)
async def create_customer_sign_in_link(
    ticket_id: VisibleTicketId, request: Request, session: SessionDep, actor: Agent
) -> CustomerSignInSent:
    """Email the ticket's customer a one-time link (a day) that signs them in to every
    ticket of theirs, and their organisation's when it shares them. To their address only
    (anyone can file under any address): 409 without an SMTP server or a customer."""
    sent_to, expires_at = await portal.email_sign_in_link(
        session, ticket_id, By.user(actor.user_id), _mailing(request)
    )
    return CustomerSignInSent(ticket_id=ticket_id, sent_to=sent_to, expires_at=expires_at)


@router.post(
    "/api/customer/sessions",
    response_model=CustomerSessionOut,
    status_code=201,
    operation_id="customerSignIn",
    responses=problem_responses(401),
)
async def customer_sign_in(
    body: CustomerSignIn, response: Response, session: SessionDep, _: Public
) -> CustomerSessionOut:
    """Use a sign-in link's secret (once): the customer session's secret, to send as
    X-Customer-Token. A used, expired or unknown link: 401, one message for all."""
    token, contact = await portal.sign_in(session, body.secret)
    response.headers["Cache-Control"] = "no-store"
    return CustomerSessionOut(token=token, name=contact.name, organisation=contact.organisation)


@router.delete("/api/customer/sessions/current", status_code=204, operation_id="customerSignOut")
async def customer_sign_out(session: SessionDep, customer: Customer) -> None:
    """End the customer's session (a private link stays: it is not a sign-in)."""
    await portal.sign_out(session, customer)


@router.get(
    "/api/customer/tickets", response_model=CustomerTicketsOut, operation_id="listCustomerTickets"
)
async def list_customer_tickets(session: ReadSessionDep, customer: Customer) -> CustomerTicketsOut:
    """Signed in: the customer's tickets, and their organisation's when an admin lets it
    share them, latest activity first (at most 100); with a private link, its ticket."""
    found = await portal.customer_tickets(session, customer)
    return CustomerTicketsOut(
        name=found.contact.name,
        organisation=found.contact.organisation,
        shared=found.shared,
        tickets=[
            CustomerTicketItemOut.model_validate(t, from_attributes=True) for t in found.items
        ],
    )


@router.get(
    "/api/customer/tickets/{ticket_id:int}",
    response_model=CustomerTicketOut,
    operation_id="getCustomerTicketById",
)
async def get_customer_ticket_by_id(
    ticket_id: TicketId, session: ReadSessionDep, customer: Customer
) -> CustomerTicketOut:
    """One of the customer's tickets (or their organisation's, when shared): status and
    public thread. Anyone else's answers 404, like a ticket that does not exist."""
    await portal.ensure_customer_sees(session, customer, ticket_id)
    return await _customer_ticket(session, ticket_id)


@router.post(
    "/api/customer/tickets/{ticket_id:int}/messages",
    response_model=CustomerMessageSent,
    status_code=201,
    operation_id="createCustomerMessageOn",
)
async def create_customer_message_on(
    ticket_id: TicketId,
    body: CustomerMessageCreate,
    request: Request,
    session: SessionDep,
    classifier: ClassifierDep,
    customer: Customer,
) -> CustomerMessageSent:
    """Write to one of the customer's tickets (or their organisation's, when shared), as
    POST /api/customer/messages does for a private link's."""
    await portal.ensure_customer_sees(session, customer, ticket_id)
    return await _customer_writes(request, session, ticket_id, customer, body.body, classifier)


@router.get(
    "/api/organisations", response_model=list[OrganisationOut], operation_id="listOrganisations"
)
async def list_organisations(session: ReadSessionDep, _: Admin) -> list[OrganisationOut]:
    """Every organisation a customer names, with how many customers and whether its
    signed-in customers see each other's tickets."""
    found = await portal.organisations(session)
    return [OrganisationOut.model_validate(item, from_attributes=True) for item in found]


@router.put(
    "/api/organisations/{name:path}",
    response_model=OrganisationOut,
    operation_id="setOrganisationSharing",
)
async def set_organisation_sharing(
    name: Annotated[str, Path(max_length=200)],
    body: OrganisationSharing,
    session: SessionDep,
    actor: Admin,
) -> OrganisationOut:
    """Let the organisation's signed-in customers see each other's tickets, or stop it;
    404 for a name no customer belongs to."""
    found = await portal.set_sharing(session, name, body.share_tickets, By.user(actor.user_id))
    return OrganisationOut.model_validate(found, from_attributes=True)


@router.patch(
    "/api/contacts/{contact_id:int}",
    response_model=ContactOut,
    operation_id="updateContact",
    responses=problem_responses(409),
)
async def update_contact(
    contact_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: ContactChange,
    session: SessionDep,
    actor: Agent,
) -> ContactOut:
    """Put a customer in an organisation (or none). A customer none of whose tickets the
    agent may see answers 404."""
    scope = actor.team_scope
    teams = list(scope) if scope is not None else None
    await portal.ensure_agent_sees_contact(session, contact_id, teams)
    contact = await portal.set_organisation(
        session,
        contact_id,
        body.organisation,
        By.user(actor.user_id),
        admin=actor.role is Role.ADMIN,
    )
    return ContactOut.model_validate(contact, from_attributes=True)
