"""Background work of the conversation: when the customer writes more, triage reads the
ticket again (the workflow and duplicate detection have their own jobs on that event)."""

import logging

from supportdesk.conversations import service
from supportdesk.conversations.service import CUSTOMER_WROTE
from supportdesk.errors import NotFound
from supportdesk.jobs.registry import JobContext, task
from supportdesk.tickets import service as tickets

log = logging.getLogger(__name__)


@task(
    "conversations.retriage", lock=lambda a: f"ticket:{a['ticket_id']}", triggers=(CUSTOMER_WROTE,)
)
async def retriage(ctx: JobContext, ticket_id: int) -> None:
    """Labels the AI chose follow what triage makes of everything the customer said;
    labels an agent chose stay. Idempotent: the same words give the same labels."""
    try:
        async with ctx.database.transaction() as session:
            ticket = await tickets.get_ticket(session, ticket_id)
            if not tickets.labelled_by_ai(ticket):
                return
            title, words = ticket.title, await service.customer_words(session, ticket)
        # Outside a transaction: an LLM provider may take seconds.
        suggestion = await ctx.triage.classifier.classify(title, words)
        async with ctx.database.transaction() as session:
            if await tickets.retriage(session, ticket_id, suggestion):
                log.info("conversations: ticket %s relabelled after the customer wrote", ticket_id)
    except NotFound:
        log.info("conversations: ticket %s no longer exists", ticket_id)
