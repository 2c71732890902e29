"""Background work of the workflow: process a ticket; flag tickets past their SLA."""

import logging

from supportdesk.conversations.service import STAFF_WROTE
from supportdesk.errors import NotFound
from supportdesk.events.broker import publish
from supportdesk.jobs.registry import JobContext, task
from supportdesk.workflow import service
from supportdesk.workflow.pipeline import setup_for

log = logging.getLogger(__name__)


@task(
    "workflow.process_ticket",
    lock=lambda args: f"ticket:{args['ticket_id']}",
    triggers=("ticket.created", "ticket.updated"),
)
async def process_ticket(ctx: JobContext, ticket_id: int) -> None:
    """Facts, routing + SLA and a template draft for one ticket, stored. Idempotent; an
    agent's edited draft is kept; a ticket deleted since the job was sent is skipped."""
    setup = setup_for(ctx.settings)
    try:
        async with ctx.database.transaction() as session:
            await service.process_ticket(session, ticket_id, setup)
            await publish(session, "ticket.workflow", id=ticket_id)
    except NotFound:
        log.info("workflow: ticket %s no longer exists", ticket_id)


@task(
    "workflow.end_review_after_reply",
    lock=lambda a: f"ticket:{a['ticket_id']}",
    triggers=(STAFF_WROTE,),
)
async def end_review_after_reply(ctx: JobContext, ticket_id: int) -> None:
    """A draft marked for review stops being so once a public reply has gone out."""
    async with ctx.database.transaction() as session:
        await service.end_review_after_reply(session, ticket_id)
