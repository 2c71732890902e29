"""The job that sends one email from the outbox."""

from supportdesk.jobs.registry import JobContext, task
from supportdesk.mail import service


# Before anything else: an agent pressed Send, a customer waits.
@task(service.SEND, lock=lambda a: f"email:{a['email_id']}", retries=8, priority=20)
async def send(ctx: JobContext, email_id: int) -> None:
    """Idempotent: an email sent, failed or in doubt is not sent again; a passing failure
    raises, and the job is retried with backoff."""
    await service.send(ctx.database, email_id, ctx.settings.email)
