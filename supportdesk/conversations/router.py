"""HTTP endpoints of the conversation: the agents' thread, the public form, the customer's
view by their private link. Parse, call the service, shape the answer."""

from fastapi import APIRouter, Request

from supportdesk.audit.service import By
from supportdesk.auth.access import Agent, Customer, Public, Viewer
from supportdesk.conversations import service
from supportdesk.conversations.models import MessageKind
from supportdesk.conversations.schemas import (
    CustomerLinkOut,
    CustomerMessageCreate,
    CustomerMessageSent,
    CustomerTicketOut,
    LinksRevoked,
    MessageCreate,
    MessageOut,
    Outcome,
    PublicMessageOut,
    PublicTicketCreate,
    ThreadOut,
    thread_out,
)
from supportdesk.deps import ReadSessionDep, SessionDep, settings_of
from supportdesk.problems import problem_responses
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.triage.deps import ClassifierDep

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


@router.post(
    "/api/tickets/{ticket_id:int}/messages",
    response_model=MessageOut,
    status_code=201,
    operation_id="createMessage",
    responses=problem_responses(409),
)
async def create_message(
    ticket_id: VisibleTicketId, body: MessageCreate, session: SessionDep, actor: Agent
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
    """Every private link to the ticket stops working at once."""
    revoked = await service.revoke_links(session, ticket_id, By.user(actor.user_id))
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
    found = await service.thread(session, customer.ticket_id, public_only=True)
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
    settings = settings_of(request).conversations
    sent = await service.customer_message(session, customer, body.body, classifier, settings)
    link = sent.follow_up_secret
    return CustomerMessageSent(
        outcome=Outcome(sent.outcome),
        ticket_id=sent.ticket_id,
        message=_public_out(sent.message),
        follow_up_link=_link_out(request, sent.ticket_id, link) if link else None,
    )
