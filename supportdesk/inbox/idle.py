"""IMAP IDLE: the mailbox tells us when mail arrives, and it is fetched at once, instead
of at the next minute's poll (which stays, for servers without IDLE and for whatever a
dropped connection missed).

One watcher a deployment: on PostgreSQL each API process tries for an advisory lock and
only its holder watches (a second watcher would only fetch the same mail twice, which its
Message-ID makes harmless, but holds a second connection to the mail server)."""

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.inbox import imap

log = logging.getLogger(__name__)

# How long one IDLE lasts before it is renewed: short, so that stopping the process waits
# no longer than this for the thread in IDLE (servers end an IDLE after 29 minutes anyway).
IDLE_SECONDS = 2.0
RETRY_SECONDS = 30.0  # after the connection failed, or while another process watches
POLL_SECONDS = 300.0  # the longest a poll may take before the watch gives up on it
WATCH_LOCK = 0x5D_1D1E  # the advisory lock's key: "sd idle"


class MailboxWatcher:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database, self.settings = database, settings
        self._stopping = threading.Event()
        self.watching = threading.Event()  # set while in IDLE: the mailbox is watched
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="imap-idle")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            try:
                async with self._watching() as mine:
                    if mine:
                        await imap.poll(self.database, self.settings)  # what came meanwhile
                        await asyncio.to_thread(self._watch, loop)
            except Exception:  # a mail server's hiccup must not end the watching
                log.exception("imap idle: the watch failed; polling goes on every minute")
            await asyncio.sleep(RETRY_SECONDS)

    @asynccontextmanager
    async def _watching(self) -> AsyncIterator[bool]:
        """Whether this process is the one to watch, for as long as the block lasts."""
        if self.database.dialect != "postgresql":
            yield True
            return
        async with self.database.engine.connect() as connection:
            lock = text("SELECT pg_try_advisory_lock(:key)")
            mine = bool(await connection.scalar(lock, {"key": WATCH_LOCK}))
            try:
                yield mine
            finally:
                if mine:
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": WATCH_LOCK}
                    )
                await connection.commit()

    def _watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """In a thread (imap-tools blocks): IDLE until mail arrives, then poll, until the
        process stops. A server without IDLE: return, the minute's poll does the work."""
        with imap.open_mailbox(self.settings.email) as box:
            if "IDLE" not in box.client.capabilities:
                log.info("imap idle: the server has no IDLE; polling every minute")
                self._stopping.wait()
                return
            self.watching.set()
            while not self._stopping.is_set():
                if box.idle.wait(timeout=IDLE_SECONDS) and not self._stopping.is_set():
                    poll = imap.poll(self.database, self.settings)
                    # Bounded: a process stopping meanwhile never runs it.
                    asyncio.run_coroutine_threadsafe(poll, loop).result(timeout=POLL_SECONDS)
