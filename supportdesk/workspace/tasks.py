"""The ticket page's periodic work."""

import logging

from supportdesk.jobs.registry import JobContext, periodic
from supportdesk.workspace import service

log = logging.getLogger(__name__)


@periodic("workspace.fold_page_changes", every_seconds=3600)
async def fold_page_changes(ctx: JobContext) -> None:
    folded = batch = 5_000
    while folded == batch:  # each batch its own transaction: short locks, steady progress
        async with ctx.database.transaction() as session:
            folded = await service.fold_page_changes(session, batch)
        if folded:
            log.info("workspace: folded the page changes of %d ticket(s)", folded)
