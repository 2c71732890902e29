"""The inbound webhook: a mail service posts each raw email (MIME, as received) here,
signed with the shared secret."""

import hashlib
import hmac

from fastapi import APIRouter, Header, Request

from supportdesk.auth.access import Public
from supportdesk.deps import SessionDep, settings_of
from supportdesk.errors import NotFound, TooLarge, Unauthorized
from supportdesk.inbox import service
from supportdesk.inbox.schemas import InboundReceived
from supportdesk.problems import problem_responses

router = APIRouter(tags=["email"])
WEBHOOK_PATH = "/api/inbound/email"
SIGNATURE_PREFIX = "sha256="
# An unsigned client could stream for ever: past twice the limit the request is cut off.
READ_AT_MOST = 2


@router.post(
    WEBHOOK_PATH,
    response_model=InboundReceived,
    status_code=202,
    operation_id="receiveInboundEmail",
    responses=problem_responses(401, 404),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("message/rfc822", "application/octet-stream")
            },
        }
    },
)
async def receive_inbound_email(
    request: Request,
    session: SessionDep,
    _: Public,
    x_supportdesk_signature: str = Header(
        default="",
        description="sha256=<hex HMAC-SHA256 of the body, keyed with EMAIL_INBOUND_SECRET>",
    ),
) -> InboundReceived:
    """Receive one raw email (404 while EMAIL_INBOUND_SECRET is not set). One over the
    size limit is refused (413) and recorded; the same email twice is kept once."""
    settings = settings_of(request)
    secret = settings.email.inbound_secret.get_secret_value()
    if not secret:
        raise NotFound("the inbound email webhook is off (EMAIL_INBOUND_SECRET is not set)")
    limit = settings.email.max_message_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > READ_AT_MOST * limit:
        raise TooLarge(f"the email is {declared} bytes, over the limit of {limit} bytes")
    # Read as it streams: the signature covers all of it, but no more than the limit is kept.
    mac, kept, size = hmac.new(secret.encode(), digestmod=hashlib.sha256), bytearray(), 0
    async for chunk in request.stream():
        mac.update(chunk)
        size += len(chunk)
        if size > READ_AT_MOST * limit:  # no signed sender sends this much: stop reading
            raise TooLarge(f"the email is over {READ_AT_MOST * limit} bytes")
        if len(kept) < max(limit, service.HEADER_BYTES):
            kept += chunk
        if size > limit:  # from here, only its headers are needed (to record the refusal)
            del kept[service.HEADER_BYTES :]
    signature = x_supportdesk_signature.removeprefix(SIGNATURE_PREFIX).strip().lower()
    # Compared as bytes: a header may carry any Latin-1 character, which str comparison
    # of a digest refuses with an error.
    if not hmac.compare_digest(mac.hexdigest().encode(), signature.encode("latin-1", "replace")):
        raise Unauthorized(
            "the signature does not match the body",
            {"x-supportdesk-signature": ["must be sha256=<HMAC-SHA256 of the body>"]},
        )
    if size > limit:
        sender, subject = service.headers(bytes(kept))[1:]
        await service.refuse(session, "webhook", sender, subject, size, limit)
        await session.commit()  # the refusal is recorded, though the answer is an error
        raise TooLarge(f"the email is {size} bytes, over the limit of {limit} bytes")
    received = await service.receive(session, bytes(kept), "webhook", settings)
    return InboundReceived(status="received" if received.email_id else "duplicate")
