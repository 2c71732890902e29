"""SLA upkeep: a ticket's next due time and outcomes follow each message (a reply pauses
resolution and meets a response target; the customer's answer starts the next one), and
every minute a sweep warns before due times and records breaches."""

import logging

from supportdesk.conversations.service import CUSTOMER_WROTE, STAFF_WROTE
from supportdesk.errors import NotFound
from supportdesk.jobs.registry import JobContext, periodic, task
from supportdesk.sla import service
from supportdesk.types import utcnow

log = logging.getLogger(__name__)


@task(
    "sla.refresh",
    lock=lambda a: f"ticket:{a['ticket_id']}",
    triggers=(STAFF_WROTE, CUSTOMER_WROTE),
)
async def refresh(ctx: JobContext, ticket_id: int) -> None:
    """Idempotent: the same conversation gives the same due time."""
    try:
        async with ctx.database.transaction() as session:
            await service.refresh_ticket(session, ticket_id, utcnow())
    except NotFound:
        log.info("sla: ticket %s no longer exists", ticket_id)


@periodic("sla.sweep", every_seconds=60)
async def sweep(ctx: JobContext) -> None:
    async with ctx.database.transaction() as session:
        counts = await service.sweep(session, utcnow(), ctx.settings.sla.warning)
    if counts:
        log.info("sla: %s", ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))


@periodic("sla.backfill", every_seconds=60)
async def backfill(ctx: JobContext) -> None:
    """Tickets filed before outcomes were kept get theirs, a batch a transaction, until
    none is left (then this is one read a minute)."""
    total = 0
    while True:
        async with ctx.database.transaction() as session:
            done = await service.backfill(session, utcnow())
        if not done:
            break
        total += done
    if total:
        log.info("sla: outcomes kept for %s earlier tickets", total)
