"""The jobs that email an agent: a ticket given to them, a customer's answer."""

import logging

from supportdesk.conversations.service import CUSTOMER_WROTE
from supportdesk.errors import NotFound
from supportdesk.jobs.registry import JobContext, task
from supportdesk.notifications import service
from supportdesk.tickets.assignment import ASSIGNED

log = logging.getLogger(__name__)


@task("notifications.assigned", triggers=(ASSIGNED,))
async def assigned(ctx: JobContext, ticket_id: int) -> None:
    """Idempotent: the same assignment is told once."""
    try:
        async with ctx.database.transaction() as session:
            await service.assigned(session, ticket_id, ctx.settings)
    except NotFound:
        log.info("notifications: ticket %s no longer exists", ticket_id)


@task("notifications.customer_replied", triggers=(CUSTOMER_WROTE,))
async def customer_replied(ctx: JobContext, ticket_id: int) -> None:
    """Idempotent: the same message is told once."""
    try:
        async with ctx.database.transaction() as session:
            await service.customer_replied(session, ticket_id, ctx.settings)
    except NotFound:
        log.info("notifications: ticket %s no longer exists", ticket_id)
