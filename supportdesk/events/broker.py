"""Live events for the UI (server-sent events), and the tickets table's version.

An event is published inside the transaction of the change it describes and delivered
only if that transaction commits. On PostgreSQL it travels by NOTIFY, so every API process
hears changes made by any process or worker; on SQLite (one process) it is handed to the
local subscribers after commit.

On PostgreSQL the same connection hears every write to the tickets table (a trigger's
NOTIFY, migration 0026), from any process, job or script: `tickets_version` moves with each,
and at once with each write this process commits, so an answer kept at one version is
known stale when the next comes.
"""

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from supportdesk.dialect import is_postgresql
from supportdesk.jobs.postgres import psycopg_dsn

log = logging.getLogger(__name__)
CHANNEL = "supportdesk_events"
TICKETS_CHANNEL = "supportdesk_tickets"
PENDING = "pending_events"
QUEUE_SIZE = 100
# How often the listening connection is asked whether it still answers, and how long it has.
CHECK_SECONDS = 15.0


class Broker:
    """Fans events out to this process's subscribers (one queue per open stream)."""

    def __init__(self) -> None:
        self.subscribers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._listener: asyncpg.Connection | None = None
        self._listening_to: str | None = None
        # Apps of this process listening (tests run several): the last one closes.
        self._users = 0
        self._tickets_version = 0
        self._checking: asyncio.Task[None] | None = None

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self.subscribers.discard(queue)

    def deliver(self, payload: dict[str, Any]) -> None:
        for queue in self.subscribers:
            with contextlib.suppress(asyncio.QueueFull):  # a stalled browser misses events
                queue.put_nowait(payload)

    async def listen(self, database_url: str) -> None:
        """PostgreSQL: hear NOTIFYs from every process on one dedicated connection."""
        self._users += 1
        if self._listener is None:
            self._listener = await asyncpg.connect(psycopg_dsn(database_url))
            await self._listener.add_listener(CHANNEL, self._heard)
            await self._listener.add_listener(TICKETS_CHANNEL, self._tickets_heard)
            self._listener.add_termination_listener(self._lost)
            self._listening_to = database_url
            self._checking = asyncio.create_task(self._check(self._listener))

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self.deliver(orjson.loads(payload))

    def _tickets_heard(self, _connection: object, _pid: int, _channel: str, _: str) -> None:
        self.tickets_written()

    def _lost(self, connection: object) -> None:
        if connection is not self._listener:  # one closed on purpose (told after the fact)
            return
        # Writes made from now on would go unheard: nothing kept may be trusted again.
        log.warning("lost the connection listening for changes: no live updates, nothing kept")
        self._listening_to = None

    async def _check(self, listener: asyncpg.Connection) -> None:
        """A connection can die without a word (a firewall dropping it, a failover): one
        that does not answer in time counts as lost."""
        while True:  # until lost, or cancelled by close()
            await asyncio.sleep(CHECK_SECONDS)
            try:
                await asyncio.wait_for(listener.fetchval("SELECT 1"), CHECK_SECONDS)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                self._lost(listener)
                return

    def tickets_written(self) -> None:
        self._tickets_version += 1

    def tickets_version(self, database_url: str) -> int | None:
        """A number that moves whenever the tickets table may have changed, or None when
        changes to that database's tickets are not heard here (SQLite; not listening)."""
        return self._tickets_version if database_url == self._listening_to else None

    async def close(self) -> None:
        self._users = max(0, self._users - 1)
        if self._users == 0 and self._listener is not None:
            listener, self._listener, self._listening_to = self._listener, None, None
            if self._checking is not None:
                self._checking.cancel()
            await listener.close()


BROKER = Broker()


async def publish(session: AsyncSession, kind: str, **data: Any) -> None:
    payload = {"type": kind, **data}
    if is_postgresql(session):
        statement = text("SELECT pg_notify(:channel, :payload)")
        await session.execute(
            statement, {"channel": CHANNEL, "payload": orjson.dumps(payload).decode()}
        )
    else:
        session.sync_session.info.setdefault(PENDING, []).append(payload)


# What this process commits moves the version at once, not a moment later when the
# trigger's NOTIFY comes back: what it wrote, it reads next. A session's commit moves it
# once done (a read meanwhile may have been kept at the version before); a plain
# connection's (scripts, tests) as it starts, the only hook it has. A commit that wrote
# nothing moves it too: a kept answer is built again, never wrong.
@event.listens_for(Engine, "commit")
def _committing(_: Connection) -> None:
    BROKER.tickets_written()


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    BROKER.tickets_written()
    for payload in session.info.pop(PENDING, []):
        BROKER.deliver(payload)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
