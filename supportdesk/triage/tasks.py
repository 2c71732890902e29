"""Background upkeep of triage records."""

import logging
from datetime import timedelta

from supportdesk.jobs.registry import JobContext, periodic
from supportdesk.triage import service
from supportdesk.types import utcnow

log = logging.getLogger(__name__)


@periodic("triage.prune_provider_calls", every_seconds=3600)
async def prune_provider_calls(ctx: JobContext) -> None:
    before = utcnow() - timedelta(days=ctx.settings.triage.keep_provider_calls_days)
    async with ctx.database.transaction() as session:
        removed = await service.prune_provider_calls(session, before)
    if removed:
        log.info("triage: forgot %d LLM call record(s)", removed)
