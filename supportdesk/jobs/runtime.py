"""Start the right job runner for this process: in-process on SQLite, a procrastinate
worker on PostgreSQL (embedded in the API process, or alone in `supportdesk worker`)."""

import asyncio
import contextlib

from supportdesk.jobs import postgres
from supportdesk.jobs.local import LocalRunner
from supportdesk.jobs.registry import JobContext
from supportdesk.jobs.tasks import load_tasks


class EmbeddedWorker:
    """A procrastinate worker as a task of the API process."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        app = postgres.build_app(self.context)
        self._task = asyncio.create_task(postgres.run_worker(app, self.context))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class NoRunner:
    """JOBS_IN_PROCESS=false: separate workers (or the caller) do the work."""

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


def build_runner(context: JobContext) -> LocalRunner | EmbeddedWorker | NoRunner:
    load_tasks()
    if not context.settings.jobs.in_process:
        return NoRunner()
    return LocalRunner(context) if context.settings.is_sqlite else EmbeddedWorker(context)


async def run_standalone_worker(context: JobContext) -> None:
    """`supportdesk worker`: one more procrastinate worker process (PostgreSQL only)."""
    load_tasks()
    await postgres.run_worker(postgres.build_app(context), context, handle_signals=True)
