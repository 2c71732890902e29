"""Polling a real IMAP server (dovecot on 127.0.0.1): new mail is filed, flagged seen,
and mail fetched again (a poll that died before flagging) is not filed twice."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import httpx
import pytest
from fastapi import FastAPI
from imap_tools import AND, MailBoxUnencrypted

from supportdesk.config import EmailSettings, Settings
from supportdesk.inbox import imap as polling
from supportdesk.inbox.tasks import ingest
from supportdesk.jobs.registry import JobContext
from tests.factories import queued_jobs
from tests.inbox.conftest import corpus, inbound, with_email
from tests.inbox.dovecot import Imap


def _polling(app: FastAPI, server: Imap) -> Settings:
    return with_email(
        app.state.settings,
        imap_host="127.0.0.1",
        imap_port=server.port,
        imap_security="none",
        imap_username=server.user,
        imap_password=server.password,
    )


def _mailbox(server: Imap) -> MailBoxUnencrypted:
    return MailBoxUnencrypted("127.0.0.1", server.port).login(server.user, server.password)


async def _run_jobs(app: FastAPI, settings: Settings) -> None:
    context = JobContext(settings, app.state.db, app.state.triage)
    for _, _, args in await queued_jobs(app, "inbox."):
        await ingest(context, **args)


async def test_new_mail_is_filed_once_and_flagged_seen(
    app: FastAPI, client: httpx.AsyncClient, imap: Imap
) -> None:
    settings = _polling(app, imap)
    with _mailbox(imap) as box:
        box.append(corpus("html_only_new_ticket.eml"), "INBOX")
        box.append(corpus("shift_jis_new_ticket.eml"), "INBOX")
    assert await polling.poll(app.state.db, settings) == 2
    await _run_jobs(app, settings)
    assert [row.status for row in await inbound(app)] == ["opened", "opened"]
    titles = {t["title"] for t in (await client.get("/api/tickets")).json()["results"]}
    assert titles == {"Cannot log in after password reset", "ログインできない"}
    with _mailbox(imap) as box:
        assert not list(box.fetch(AND(seen=False)))
        # As if a poll died after keeping them but before flagging: fetched again.
        box.flag([m.uid for m in box.fetch() if m.uid], "\\Seen", False)
    assert await polling.poll(app.state.db, settings) == 0
    assert len(await inbound(app)) == 2
    assert (await client.get("/api/tickets")).json()["count"] == 2


async def test_an_email_over_the_limit_is_refused_without_being_downloaded(
    app: FastAPI, client: httpx.AsyncClient, imap: Imap
) -> None:
    settings = _polling(app, imap)
    settings = settings.model_copy(
        update={"email": settings.email.model_copy(update={"max_message_bytes": 50_000})}
    )
    big = corpus("html_only_new_ticket.eml") + b"<p>" + b"x" * 60_000 + b"</p>\r\n"
    with _mailbox(imap) as box:
        box.append(big, "INBOX")
        box.append(corpus("shift_jis_new_ticket.eml"), "INBOX")
    assert await polling.poll(app.state.db, settings) == 1
    kept, refused = sorted(await inbound(app), key=lambda row: row.status)
    assert (refused.status, refused.sender, refused.raw) == ("refused", "carol@shop.example", None)
    assert refused.reason is not None and "over the limit of 50000 bytes" in refused.reason
    assert kept.status == "received"
    with _mailbox(imap) as box:
        assert not list(box.fetch(AND(seen=False)))


async def test_nothing_is_polled_without_a_mailbox(app: FastAPI, client: httpx.AsyncClient) -> None:
    from supportdesk.inbox.tasks import poll_imap

    await poll_imap(JobContext(app.state.settings, app.state.db, app.state.triage))
    assert await inbound(app) == []


def test_oauth2_asks_the_token_endpoint_with_the_refresh_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """XOAUTH2 (Microsoft 365, Google): an access token from the configured token URL,
    asked with the refresh token; here a token endpoint on 127.0.0.1 (reached directly,
    never through a configured proxy)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    seen: list[dict[str, list[str]]] = []

    class TokenEndpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            seen.append(parse_qs(self.rfile.read(length).decode()))
            body = json.dumps({"access_token": "fresh-access-token", "expires_in": 3600})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings = EmailSettings(
            imap_host="imap.example.com",
            imap_oauth2_token_url=f"http://127.0.0.1:{server.server_port}/token",
            imap_oauth2_client_id="client-1",
            imap_oauth2_client_secret="client-secret",
            imap_oauth2_refresh_token="refresh-1",
        )
        assert polling._access_token(settings) == "fresh-access-token"
    finally:
        server.shutdown()
    assert seen == [
        {
            "grant_type": ["refresh_token"],
            "client_id": ["client-1"],
            "client_secret": ["client-secret"],
            "refresh_token": ["refresh-1"],
        }
    ]
