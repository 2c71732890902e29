"""Background work of sign-in: ended sessions, dead links and old failed tries go."""

import logging

from supportdesk.auth import service
from supportdesk.jobs.registry import JobContext, periodic
from supportdesk.types import utcnow

log = logging.getLogger(__name__)


@periodic("auth.prune", every_seconds=3600)
async def prune(ctx: JobContext) -> None:
    async with ctx.database.transaction() as session:
        removed = await service.prune(session, ctx.settings.auth, utcnow())
    if removed:
        log.info("auth: deleted %d ended session(s), dead link(s) and old failure(s)", removed)
