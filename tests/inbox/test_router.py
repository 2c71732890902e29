"""The inbound webhook: off without a secret, signed bodies only, the size limit, and the
same email posted twice kept once."""

import hashlib
import hmac

import httpx
from fastapi import FastAPI

from supportdesk.inbox.router import WEBHOOK_PATH
from tests.factories import queued_jobs
from tests.inbox.conftest import corpus, inbound, running_with, with_email

SECRET = "webhook-test-secret"
MIME = {"Content-Type": "message/rfc822"}


def _signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {**MIME, "X-Supportdesk-Signature": f"sha256={digest}"}


async def test_the_webhook_is_off_without_a_secret(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    body = corpus("html_only_new_ticket.eml")
    answer = await anonymous.post(WEBHOOK_PATH, content=body, headers=_signed(body))
    assert answer.status_code == 404
    assert "EMAIL_INBOUND_SECRET" in answer.json()["detail"]


async def test_only_a_signed_email_is_kept_and_once(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    body = corpus("html_only_new_ticket.eml")
    with running_with(app, with_email(app.state.settings, inbound_secret=SECRET)):
        latin = {**MIME, "X-Supportdesk-Signature": "sha256=\u00e9t\u00e9".encode("latin-1")}
        for headers in (MIME, _signed(body, "wrong"), _signed(body + b"tampered"), latin):
            refused = await anonymous.post(WEBHOOK_PATH, content=body, headers=headers)
            assert refused.status_code == 401
            assert refused.headers["content-type"] == "application/problem+json"
            assert "x-supportdesk-signature" in refused.json()["errors"]
        assert await inbound(app) == []
        first = await anonymous.post(WEBHOOK_PATH, content=body, headers=_signed(body))
        again = await anonymous.post(WEBHOOK_PATH, content=body, headers=_signed(body))
    assert (first.status_code, first.json()) == (202, {"status": "received"})
    assert (again.status_code, again.json()) == (202, {"status": "duplicate"})
    (row,) = await inbound(app)
    assert (row.via, row.raw) == ("webhook", body)
    assert len(await queued_jobs(app, "inbox.")) == 1


async def test_an_email_over_the_limit_is_refused_and_recorded(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    settings = with_email(app.state.settings, inbound_secret=SECRET, max_message_bytes=50_000)
    body = corpus("html_only_new_ticket.eml") + b"<p>" + b"x" * 60_000 + b"</p>"
    with running_with(app, settings):
        answer = await anonymous.post(WEBHOOK_PATH, content=body, headers=_signed(body))
    assert answer.status_code == 413
    assert (
        answer.json()["detail"] == f"the email is {len(body)} bytes, over the limit of 50000 bytes"
    )
    (row,) = await inbound(app)
    assert (row.status, row.sender, row.subject, row.raw) == (
        "refused",
        "carol@shop.example",
        "Cannot log in after password reset",
        None,
    )
    assert not await queued_jobs(app, "inbox.")
