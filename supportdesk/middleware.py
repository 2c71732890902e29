"""ASGI middleware: path normalisation and request-body guards, before any routing."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from supportdesk.problems import BODY_METHODS, problem


class RequestGuard:
    """Accept `/path` and `/path/` alike (no redirect that drops a body) and HEAD wherever
    GET is; refuse bodies over the limit with 413 and non-JSON bodies to the API with 415,
    all as problem+json."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

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
        if scope["method"] in BODY_METHODS and scope["path"].startswith("/api/"):
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
