"""IMAP IDLE against a real dovecot on 127.0.0.1: mail is fetched as it arrives."""

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from supportdesk.inbox.idle import MailboxWatcher
from tests.inbox.conftest import corpus, inbound
from tests.inbox.dovecot import Imap
from tests.inbox.test_imap import _mailbox, _polling


async def _until(condition_met: Callable[[], Awaitable[bool]], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if await condition_met():
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


async def test_mail_is_fetched_as_it_arrives_not_at_the_next_poll(
    app: FastAPI, client: httpx.AsyncClient, imap: Imap
) -> None:
    settings = _polling(app, imap)
    with _mailbox(imap) as box:
        box.append(corpus("html_only_new_ticket.eml"), "INBOX")  # came while we were away
    watcher = MailboxWatcher(app.state.db, settings)
    await watcher.start()
    try:
        await asyncio.to_thread(watcher.watching.wait, 10)
        assert watcher.watching.is_set()
        assert len(await inbound(app)) == 1  # fetched on starting to watch

        with _mailbox(imap) as box:
            box.append(corpus("shift_jis_new_ticket.eml"), "INBOX")

        async def two_kept() -> bool:
            return len(await inbound(app)) == 2

        # Well before the minute's poll: the server told the watcher.
        assert await _until(two_kept, 10) < 10
    finally:
        await watcher.stop()
    assert {row.via for row in await inbound(app)} == {"imap"}


async def test_one_process_watches_on_postgresql(app: FastAPI, imap: Imap) -> None:
    settings = _polling(app, imap)
    first, second = MailboxWatcher(app.state.db, settings), MailboxWatcher(app.state.db, settings)
    await first.start()
    try:
        await asyncio.to_thread(first.watching.wait, 10)
        await second.start()
        await asyncio.sleep(1)
        # SQLite has one process: both would watch; PostgreSQL's lock lets one.
        assert second.watching.is_set() == (app.state.db.dialect == "sqlite")
    finally:
        await second.stop()
        await first.stop()
