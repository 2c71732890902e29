"""The job that files one received email, and the poll of an IMAP mailbox."""

from supportdesk.inbox import imap, service
from supportdesk.jobs.registry import JobContext, periodic, task


# Before tickets' upkeep (workflow, duplicates): an email is on the ticket list first. One
# sender's emails are filed one at a time, in the order they came: an answer sent right
# after its question finds the question's ticket.
@task(service.INGEST, lock=lambda a: f"email-from:{a['sender']}", retries=5, priority=10)
async def ingest(ctx: JobContext, email_id: int, sender: str) -> None:
    """Idempotent: an email filed (or ignored) is not filed again."""
    await service.ingest(ctx.database, email_id, ctx.triage.classifier, ctx.settings)


@periodic("inbox.poll_imap", every_seconds=60)
async def poll_imap(ctx: JobContext) -> None:
    """Fetch new mail from the configured mailbox (none configured: nothing to do)."""
    if ctx.settings.email.imap_host:
        await imap.poll(ctx.database, ctx.settings)
