"""The built-in SMTP listener (aiosmtpd), run by the API process when EMAIL_LISTEN is set:
point an MX record or a mail service's forwarding at it. The sending server hears 250
only once the email is committed with its job, so an email it was told we have is never
lost; any failure before that is a 451, and the server tries again later."""

import asyncio
import logging
import re
from typing import Any, AnyStr

from aiosmtpd.smtp import SMTP, Envelope, Session

from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.inbox import service
from supportdesk.mail.models import Arrival

log = logging.getLogger(__name__)
MAIL_FROM = re.compile(r"<([^<>]*)>")


class _Handler:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database, self.settings = database, settings

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            async with self.database.transaction() as db:
                received = await service.receive(db, raw, "smtp", self.settings)
        except Exception:
            log.exception("smtp listener: could not keep an email from %s", envelope.mail_from)
            return "451 4.3.0 Could not keep the message now: try again later"
        if received.status is Arrival.REFUSED:
            return "552 5.3.4 Message too big"
        return "250 2.0.0 OK: kept"


class _Server(SMTP):
    """aiosmtpd refuses an email over the size limit itself (552, without reading it into
    memory); the refusal is recorded on the way out, so agents can see who was bounced."""

    def __init__(self, handler: _Handler, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.keeper = handler
        self.mail_from = ""

    async def smtp_MAIL(self, arg: str) -> None:
        # The sender, even when the SIZE it declares is refused before it is taken.
        found = MAIL_FROM.search(arg or "")
        self.mail_from = found.group(1).lower() if found else ""
        await super().smtp_MAIL(arg)

    async def push(self, status: AnyStr) -> None:
        text = status.decode() if isinstance(status, bytes) else str(status)
        if text.startswith("552 Error"):
            settings = self.keeper.settings
            try:
                async with self.keeper.database.transaction() as db:
                    sender = self.mail_from
                    limit = settings.email.max_message_bytes
                    await service.refuse(db, "smtp", sender, "", limit + 1, limit)
            except Exception:
                log.exception("smtp listener: could not record a refused email")
        await super().push(status)


class Listener:
    def __init__(self, database: Database, settings: Settings) -> None:
        host, _, port = settings.email.listen.rpartition(":")
        self.host, self.port = host, int(port)
        self.handler = _Handler(database, settings)
        self.limit = settings.email.max_message_bytes
        self.shared = settings.web_concurrency > 1
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Server(
                self.handler,
                data_size_limit=self.limit,
                enable_SMTPUTF8=True,
                hostname="supportdesk",
                ident="supportdesk",
            ),
            self.host,
            self.port,
            # Several API processes listen on one port (the kernel shares connections out);
            # one process binds it alone, so a port already taken is an error at start.
            reuse_port=self.shared,
        )
        log.info("smtp listener on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
