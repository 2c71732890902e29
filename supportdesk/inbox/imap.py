"""Polling a real mailbox (imap-tools): unseen mail is kept (`service.receive`) and only
then flagged seen. A poll that dies between the two fetches that mail again next time;
its Message-ID makes it a no-op, so nothing is lost and nothing is filed twice."""

import asyncio
import logging
from dataclasses import dataclass
from email import policy

import httpx
from imap_tools import (
    AND,
    BaseMailBox,
    MailBox,
    MailBoxStartTls,
    MailBoxUnencrypted,
    MailMessageFlags,
)

from supportdesk.config import EmailSettings, Settings
from supportdesk.db import Database
from supportdesk.inbox import service

log = logging.getLogger(__name__)

BATCH = 100  # emails fetched a poll, at most (the next poll takes the rest)
DOWNLOAD_BATCH = 10  # whole emails downloaded at once


def _access_token(settings: EmailSettings) -> str:
    """An OAuth2 access token for XOAUTH2 (Microsoft 365, Google), from the refresh token."""
    answer = httpx.post(
        settings.imap_oauth2_token_url,
        data={
            "grant_type": "refresh_token",
            "client_id": settings.imap_oauth2_client_id,
            "client_secret": settings.imap_oauth2_client_secret.get_secret_value(),
            "refresh_token": settings.imap_oauth2_refresh_token.get_secret_value(),
        },
        timeout=settings.timeout_seconds,
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def open_mailbox(settings: EmailSettings) -> BaseMailBox:
    timeout = settings.timeout_seconds
    box: BaseMailBox
    if settings.imap_security == "tls":
        box = MailBox(settings.imap_host, settings.imap_port, timeout=timeout)
    elif settings.imap_security == "starttls":
        box = MailBoxStartTls(settings.imap_host, settings.imap_port, timeout=timeout)
    else:
        box = MailBoxUnencrypted(settings.imap_host, settings.imap_port, timeout=timeout)
    user, folder = settings.imap_username, settings.imap_folder
    if settings.imap_oauth2_token_url:
        return box.xoauth2(user, _access_token(settings), initial_folder=folder)
    return box.login(user, settings.imap_password.get_secret_value(), initial_folder=folder)


@dataclass(frozen=True)
class Unseen:
    fitting: list[tuple[str, bytes]]  # (uid, the whole email)
    too_large: list[tuple[str, bytes, int]]  # (uid, its headers, its size): never downloaded


def _unseen(settings: EmailSettings) -> Unseen:
    """Sizes and headers first: an email over the limit is never downloaded; the others
    come a few at a time (a mailbox of 25 MB attachments is not held all at once)."""
    limit = settings.max_message_bytes
    with open_mailbox(settings) as box:
        heads = list(
            box.fetch(AND(seen=False), mark_seen=False, limit=BATCH, headers_only=True, bulk=True)
        )
        too_large = [
            (m.uid, m.obj.as_bytes(policy=policy.compat32), m.size_rfc822)
            for m in heads
            if m.uid and m.size_rfc822 > limit
        ]
        wanted = [m.uid for m in heads if m.uid and m.size_rfc822 <= limit]
        fitting = []
        for start in range(0, len(wanted), DOWNLOAD_BATCH):
            uids = wanted[start : start + DOWNLOAD_BATCH]
            for m in box.fetch(AND(uid=uids), mark_seen=False, bulk=True):
                if m.uid:
                    fitting.append((m.uid, m.obj.as_bytes(policy=policy.compat32)))
        return Unseen(fitting, too_large)


def _mark_seen(settings: EmailSettings, uids: list[str]) -> None:
    with open_mailbox(settings) as box:
        box.flag(uids, MailMessageFlags.SEEN, True)


async def poll(database: Database, settings: Settings) -> int:
    """Keep the mailbox's unseen emails; how many were new."""
    unseen = await asyncio.to_thread(_unseen, settings.email)
    new = 0
    for _, raw in unseen.fitting:
        async with database.transaction() as session:
            received = await service.receive(session, raw, "imap", settings)
        new += received.email_id is not None
    limit = settings.email.max_message_bytes
    for _, head, size in unseen.too_large:
        _, sender, subject = service.headers(head)
        async with database.transaction() as session:
            await service.refuse(session, "imap", sender, subject, size, limit)
    done = [uid for uid, _ in unseen.fitting] + [uid for uid, _, _ in unseen.too_large]
    if done:
        await asyncio.to_thread(_mark_seen, settings.email, done)
        log.info(
            "imap: %d emails fetched, %d new, %d too large", len(done), new, len(unseen.too_large)
        )
    return new
