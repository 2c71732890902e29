"""The job that files one received email, and the poll of an IMAP mailbox."""

from supportdesk.inbox import imap, service
from supportdesk.jobs.registry import JobContext, periodic, task


# Before tickets' upkeep (workflow, duplicates): an email is on the ticket list first. No
# lock: filing is idempotent (the email's row is locked while it is filed), and a lock on a
# queue of thousands of emails costs procrastinate's fetch more than the filing itself.
@task(service.INGEST, retries=5, priority=10)
async def ingest(ctx: JobContext, email_id: int, waited: int = 0) -> None:
    """Idempotent: an email filed (or ignored) is not filed again."""
    classifier = ctx.triage.classifier
    await service.ingest(ctx.database, email_id, classifier, ctx.settings, waited=waited)


@periodic("inbox.poll_imap", every_seconds=60)
async def poll_imap(ctx: JobContext) -> None:
    """Fetch new mail from the configured mailbox (none configured: nothing to do)."""
    if ctx.settings.email.imap_host:
        await imap.poll(ctx.database, ctx.settings)
