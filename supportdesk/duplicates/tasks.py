"""Background work for duplicates: embed every new ticket once, off the request path,
and keep the index to the 30-day window."""

import logging

from supportdesk.conversations.service import CUSTOMER_WROTE
from supportdesk.duplicates import service
from supportdesk.errors import NotFound
from supportdesk.jobs.registry import JobContext, periodic, task
from supportdesk.tickets import service as tickets
from supportdesk.types import utcnow

log = logging.getLogger(__name__)


@task(
    "duplicates.index_ticket",
    lock=lambda a: f"ticket:{a['ticket_id']}",
    triggers=("ticket.created", CUSTOMER_WROTE),
)
async def index_ticket(ctx: JobContext, ticket_id: int) -> None:
    """Store the ticket's embedding and band codes, again when the customer writes more
    (duplicate detection then compares everything they said). Idempotent; a ticket deleted since the
    job was sent is skipped."""
    embedder = ctx.triage.embedder
    if embedder is None:
        # Nothing to store without the model; the duplicates endpoint embeds on demand
        # once it is built.
        return
    try:
        async with ctx.database.transaction() as session:
            ticket = await tickets.get_ticket(session, ticket_id)
            await service.index_ticket(session, ticket, embedder)
    except NotFound:
        log.info("duplicates: ticket %s no longer exists", ticket_id)


@periodic("duplicates.maintain_index", every_seconds=300)
async def maintain_index(ctx: JobContext) -> None:
    """Keep the index to the window: drop embeddings of tickets older than it, and embed
    recent open tickets that have none (bulk imports, tickets older than this feature),
    since band lookups only find indexed tickets."""
    since = utcnow() - service.WINDOW
    embedder = ctx.triage.embedder
    async with ctx.database.transaction() as session:
        pruned = await service.prune(session, since)
        filled = 0
        if embedder is not None:
            filled = await service.backfill(
                session, embedder, since, service.PERIODIC_BACKFILL_LIMIT
            )
    if pruned or filled:
        log.info("duplicates: dropped %d old embeddings, embedded %d tickets", pruned, filled)
