"""Start the right job runner for this process: in-process on SQLite, a procrastinate
worker on PostgreSQL (embedded in the API process, or alone in `supportdesk worker`)."""

import asyncio
import contextlib
import os
import sys
from pathlib import Path

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


# A thread doing a job's Python work keeps the GIL for up to the switch interval before
# the event loop serving requests gets it back, at every await of every request: 1 ms
# rather than Python's 5 ms when the API process runs jobs too.
SWITCH_INTERVAL_WITH_JOBS = 0.001


def build_runner(context: JobContext) -> LocalRunner | EmbeddedWorker | NoRunner:
    load_tasks()
    if not context.settings.jobs.in_process:
        return NoRunner()
    sys.setswitchinterval(SWITCH_INTERVAL_WITH_JOBS)
    return LocalRunner(context) if context.settings.is_sqlite else EmbeddedWorker(context)


def lower_cpu_priority(nice: int) -> None:
    """Make this process yield the CPU to others (the API) by `nice` levels."""
    if nice <= 0:
        return
    os.nice(nice)
    # With autogroup scheduling (Linux's default) the CPU is first shared between sessions
    # and a process's nice value only counts inside its own. A worker that leads its
    # session (systemd, a container, `setsid`) lowers the whole session's share too.
    if os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError):
            Path("/proc/self/autogroup").write_text(str(nice))


async def run_standalone_worker(context: JobContext) -> None:
    """`supportdesk worker`: one more procrastinate worker process (PostgreSQL only)."""
    lower_cpu_priority(context.settings.jobs.worker_nice)
    load_tasks()
    await postgres.run_worker(postgres.build_app(context), context, handle_signals=True)
