"""Task definitions: plain async functions that take ids, registered once by name.

The same functions run on procrastinate workers (PostgreSQL) and in-process (SQLite).
Every task is idempotent and keyed by ids: running it twice leaves the same state.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from supportdesk.config import Settings
from supportdesk.db import Database


class TriageServices(Protocol):
    """What tasks ask of the triage engine: jobs sit below the features (the package
    rules), so they name what they need instead of importing it."""

    @property
    def embedder(self) -> Any: ...

    @property
    def classifier(self) -> Any: ...

    async def classify_batch(self, tickets: Any, vectors: Any) -> Any: ...


@dataclass
class JobContext:
    """What a task gets besides its ids: its own sessions come from `database`."""

    settings: Settings
    database: Database
    triage: TriageServices


TaskFunction = Callable[..., Awaitable[None]]
# Restarts a job gets, beyond its retries, when its process dies under it (a deploy, a kill).
CRASHES_TOLERATED = 3


@dataclass(frozen=True)
class TaskSpec:
    name: str
    function: TaskFunction
    retries: int
    # Jobs with the same lock value never run at the same time (e.g. "ticket:42").
    lock: Callable[[dict[str, Any]], str | None] | None
    # Ticket events ("ticket.created", "ticket.updated") that enqueue this task with
    # ticket_id=<id>, in the transaction of the change.
    triggers: tuple[str, ...] = ()
    # Higher runs first: an email a person waits for before a ticket's background upkeep.
    priority: int = 0

    def abandoned_too_often(self, starts: int) -> bool:
        """Whether a job found abandoned ("doing", its process gone) after `starts` starts
        should run no more: past its retries and a few crashes, it is what kills the
        process (say, a ticket too large for memory), and rerunning it would loop."""
        return starts > self.retries + 1 + CRASHES_TOLERATED


@dataclass(frozen=True)
class PeriodicSpec:
    name: str
    function: Callable[[JobContext], Awaitable[None]]
    every_seconds: int


TASKS: dict[str, TaskSpec] = {}
PERIODIC: dict[str, PeriodicSpec] = {}


def task(
    name: str,
    *,
    retries: int = 3,
    lock: Callable[[dict[str, Any]], str | None] | None = None,
    triggers: tuple[str, ...] = (),
    priority: int = 0,
) -> Callable[[TaskFunction], TaskFunction]:
    """Register `async def fn(ctx: JobContext, **ids) -> None` under `name`."""

    def register(function: TaskFunction) -> TaskFunction:
        TASKS[name] = TaskSpec(name, function, retries, lock, triggers, priority)
        return function

    return register


def periodic(
    name: str, *, every_seconds: int
) -> Callable[[Callable[[JobContext], Awaitable[None]]], Callable[[JobContext], Awaitable[None]]]:
    """Register `async def fn(ctx: JobContext) -> None` to run about every `every_seconds`."""

    def register(
        function: Callable[[JobContext], Awaitable[None]],
    ) -> Callable[[JobContext], Awaitable[None]]:
        PERIODIC[name] = PeriodicSpec(name, function, every_seconds)
        return function

    return register
