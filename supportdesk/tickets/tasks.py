"""Background work of tickets: when a person can no longer work on their tickets (they
were deactivated or left a team), those tickets go back to their queues."""

import logging

from supportdesk.audit.service import SYSTEM
from supportdesk.auth.service import RELEASE_ASSIGNMENTS
from supportdesk.jobs.registry import JobContext, task
from supportdesk.tickets import service

log = logging.getLogger(__name__)


@task(RELEASE_ASSIGNMENTS, lock=lambda a: f"user:{a['user_id']}")
async def release_assignments(ctx: JobContext, user_id: int) -> None:
    """Idempotent: a ticket the person may still hold, or that changed hands meanwhile,
    is left as it is."""
    async with ctx.database.transaction() as session:
        released = await service.release_assignments(session, user_id, SYSTEM)
    if released:
        log.info("tickets: %d ticket(s) of user %s back in their queues", released, user_id)
