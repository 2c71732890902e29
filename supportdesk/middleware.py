"""ASGI middleware: path normalisation and request-body guards, before any routing;
security headers; request ids."""

import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from supportdesk.logs import REQUEST_ID
from supportdesk.metrics import LATENCY, REQUESTS
from supportdesk.problems import BODY_METHODS, problem


class RequestGuard:
    """Accept `/path` and `/path/` alike (no redirect that drops a body) and HEAD wherever
    GET is; refuse bodies over the limit with 413 and non-JSON bodies to the API with 415,
    all as problem+json. `raw_body_paths` take a body that is not JSON, of any size: the
    route reads it as it streams, and sets its own limit (raw email, say)."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, raw_body_paths: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.raw_body_paths = raw_body_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
        if scope["method"] == "HEAD":
            # HEAD is GET without the body (the server drops it): uptime checks use it.
            scope = {**scope, "method": "GET"}
        if (
            scope["method"] in BODY_METHODS
            and scope["path"].startswith("/api/")
            and scope["path"] not in self.raw_body_paths
        ):
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
            body = await self._read_body(receive)
            if body is None:
                await self._too_large()(scope, receive, send)
                return
            receive = self._replay(body, receive)
        await self.app(scope, receive, send)

    def _too_large(self) -> ASGIApp:
        return problem(413, "Payload too large", f"the body is over {self.max_body_bytes} bytes")

    def _refusal(self, scope: Scope) -> ASGIApp | None:
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            return self._too_large()
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        has_body = length not in (None, b"0") or b"transfer-encoding" in headers
        if has_body and not (
            content_type == b"application/json" or content_type.endswith(b"+json")
        ):
            return problem(
                415,
                "Unsupported media type",
                "send the body as application/json",
                {"content-type": ["must be application/json"]},
            )
        return None

    async def _read_body(self, receive: Receive) -> bytes | None:
        """Read the whole body (at most the limit) first: Content-Length can be absent
        (chunked) or wrong, and the API bodies are small JSON documents anyway."""
        chunks, seen = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, connection: Receive) -> Receive:
        """The body once, then the real connection (so a streaming response still hears
        when the client goes away)."""
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return await connection()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return receive


# No inline script, no framing, no third-party anything: a ticket's text that slipped past
# React's escaping still could not run. The API docs pages are Swagger UI's and ReDoc's own
# HTML, which start with an inline script; they show only the schema, never customer text.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_DOCS_CSP = _CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
_DOCS_PATHS = ("/docs", "/redoc")
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Security headers on every response; HSTS when the request came over HTTPS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(_DOCS_PATHS)
        headers = [*_COMMON, (b"content-security-policy", (_DOCS_CSP if docs else _CSP).encode())]
        if scope.get("scheme") == "https":
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

        await self.app(scope, receive, adding_headers(send, headers))


def adding_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    """`send`, with these headers added to the response's start."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *headers]}
        await send(message)

    return send_with_headers


REQUEST_ID_HEADER = b"x-request-id"
# What we take from a caller (a proxy's id, say): short, and nothing a log line could
# be split or forged with.
WELL_FORMED_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")


class RequestId:
    """Every response carries `X-Request-ID` (the caller's, when well formed; else a new
    one), and every log line written while handling it names it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"")
        request_id = given if WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex.encode()
        token = REQUEST_ID.set(request_id.decode())

        try:
            await self.app(scope, receive, adding_headers(send, [(REQUEST_ID_HEADER, request_id)]))
        finally:
            REQUEST_ID.reset(token)


def route_of(scope: Scope) -> str:
    """The route's template (`/api/tickets/{ticket_id}`), never the path itself: ids reveal
    nothing and the label's values stay few. A path no route serves: "unmatched"."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestMetrics:
    """Counts and times every HTTP request. Innermost of the middlewares, so that it sees
    the route the router matched (the router writes it into the request's scope)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route, method = route_of(scope), scope["method"]
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
