"""Live events for the UI (server-sent events).

An event is published inside the transaction of the change it describes and delivered
only if that transaction commits. On PostgreSQL it travels by NOTIFY, so every API process
hears changes made by any process or worker; on SQLite (one process) it is handed to the
local subscribers after commit.
"""

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import orjson
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from supportdesk.dialect import is_postgresql
from supportdesk.jobs.postgres import psycopg_dsn

log = logging.getLogger(__name__)
CHANNEL = "supportdesk_events"
PENDING = "pending_events"
QUEUE_SIZE = 100


class Broker:
    """Fans events out to this process's subscribers (one queue per open stream)."""

    def __init__(self) -> None:
        self.subscribers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._listener: asyncpg.Connection | None = None
        # Apps of this process listening (tests run several): the last one closes.
        self._users = 0

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

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self.deliver(orjson.loads(payload))

    async def close(self) -> None:
        self._users = max(0, self._users - 1)
        if self._users == 0 and self._listener is not None:
            await self._listener.close()
            self._listener = None


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


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    for payload in session.info.pop(PENDING, []):
        BROKER.deliver(payload)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
