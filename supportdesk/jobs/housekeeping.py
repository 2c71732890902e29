"""Finished jobs are deleted after a while. Every ticket leaves a job behind, and on
PostgreSQL every periodic run does too (stall recovery alone: one every 5 s, 17,000 a
day), so without this the job tables grow for ever."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, text
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.dialect import is_postgresql
from supportdesk.jobs.models import LocalJob
from supportdesk.jobs.queue import QUEUE
from supportdesk.jobs.registry import JobContext, periodic
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

ENDED = ("succeeded", "cancelled", "aborted", "failed")

# A job's last event is when it ended; failed ones have their own, later cut-off. (Deleting
# a job that procrastinate's record of periodic runs points at is fine: its own trigger
# unlinks it.)
PRUNE_PROCRASTINATE = text(
    """
    DELETE FROM procrastinate_jobs AS job
    WHERE job.queue_name = :queue
      AND job.status::text = ANY(:ended)
      AND NOT EXISTS (
        SELECT FROM procrastinate_events AS event
        WHERE event.job_id = job.id
          AND event.at >= CASE WHEN job.status = 'failed'
                               THEN CAST(:failed_before AS timestamptz)
                               ELSE CAST(:succeeded_before AS timestamptz) END)
    """
)


async def prune_jobs(
    session: AsyncSession, succeeded_before: datetime, failed_before: datetime
) -> int:
    """Delete jobs that finished before the cut-offs (failed ones have their own, later
    one, to be looked into); jobs still to run or running are never touched."""
    if is_postgresql(session):
        parameters = {
            "queue": QUEUE,
            "ended": list(ENDED),
            "succeeded_before": succeeded_before,
            "failed_before": failed_before,
        }
        result = await session.execute(PRUNE_PROCRASTINATE, parameters)
    else:
        # Local jobs record no end time: one finishes soon after it is created.
        result = await session.execute(
            delete(LocalJob).where(
                or_(
                    and_(LocalJob.status == "succeeded", LocalJob.created_at < succeeded_before),
                    and_(LocalJob.status == "failed", LocalJob.created_at < failed_before),
                )
            )
        )
    return int(getattr(result, "rowcount", 0) or 0)


@periodic("jobs.prune_finished", every_seconds=3600)
async def prune_finished_jobs(ctx: JobContext) -> None:
    now, keep = utcnow(), ctx.settings.jobs
    async with ctx.database.transaction() as session:
        removed = await prune_jobs(
            session,
            succeeded_before=now - timedelta(days=keep.keep_succeeded_days),
            failed_before=now - timedelta(days=keep.keep_failed_days),
        )
    if removed:
        log.info("jobs: deleted %d finished job(s)", removed)
