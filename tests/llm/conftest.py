"""A fake LLM server on 127.0.0.1 that speaks the OpenAI and Anthropic wire formats.

Tests script its replies; the real provider SDKs (through pydantic-ai) talk to it, so
retries, timeouts and structured output are exercised end to end without the network.
"""

import asyncio
import json
import socket
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

GOOD = {
    "category": "billing",
    "priority": "medium",
    "category_confidence": 0.9,
    "priority_confidence": 0.8,
    "reasoning": "Double charge on the subscription; refund needed, nothing blocked.",
}


@dataclass
class Reply:
    """One scripted reply: an answer (`output`), an HTTP error (`status`), a raw body, a delay;
    `chunks` is the text a streamed (`"stream": true`, OpenAI) request gets, piece by piece,
    `gap` seconds apart."""

    output: dict[str, Any] | None = None
    status: int = 200
    raw: str | None = None
    sleep: float = 0.0
    chunks: list[str] | None = None
    gap: float = 0.0
    # As some local servers do: a 400 for a request with tools (`tool_choice: "required"`).
    refuse_tools: bool = False
    # As some models do: prose instead of the tool call a request with tools asked for.
    prose_for_tools: str | None = None


@dataclass
class FakeLLM:
    port: int = 0
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def script(self, *replies: Reply) -> None:
        self.replies = deque(replies)
        self.requests.clear()
        self.paths.clear()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        self.paths.append(request.url.path)
        # The last scripted reply repeats: "500 forever" is one Reply.
        reply = self.replies.popleft() if len(self.replies) > 1 else self.replies[0]
        if reply.sleep:
            await asyncio.sleep(reply.sleep)
        anthropic = request.url.path.endswith("/messages")
        if reply.refuse_tools and body.get("tools"):
            message = {"message": "tool_choice 'required' is not supported"}
            return JSONResponse({"error": message}, status_code=400)
        if reply.prose_for_tools is not None and body.get("tools"):
            return JSONResponse(openai_text(body, reply.prose_for_tools))
        if reply.raw is not None:
            return Response(reply.raw, status_code=reply.status, media_type="application/json")
        if reply.status != 200:
            return JSONResponse(error_body(reply.status, anthropic), status_code=reply.status)
        output = reply.output if reply.output is not None else GOOD
        if anthropic:
            return JSONResponse(anthropic_message(body, output))
        if body.get("stream"):
            chunks = reply.chunks if reply.chunks is not None else [json.dumps(output)]
            stream = openai_stream(body, chunks, reply.gap)
            return StreamingResponse(stream, media_type="text/event-stream")
        return JSONResponse(openai_completion(body, output))


def error_body(status: int, anthropic: bool) -> dict[str, Any]:
    kind = {429: "rate_limit_error", 400: "invalid_request_error"}.get(status, "api_error")
    if anthropic:
        return {"type": "error", "error": {"type": kind, "message": f"fake {status}"}}
    return {"error": {"message": f"fake {status}", "type": kind, "code": None}}


def output_tool_name(body: dict[str, Any]) -> str | None:
    """The name pydantic-ai gave its output tool, if the request asked for tool output."""
    for tool in body.get("tools") or []:
        name = tool.get("name") or tool.get("function", {}).get("name")
        if name:
            return str(name)
    return None


def openai_text(body: dict[str, Any], text: str) -> dict[str, Any]:
    completion = openai_completion({**body, "tools": None}, {})
    completion["choices"][0]["message"]["content"] = text
    return completion


def openai_completion(body: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    tool = output_tool_name(body)
    arguments = json.dumps(output)
    if tool:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": tool, "arguments": arguments},
                }
            ],
        }
        finish = "tool_calls"
    else:  # native structured output: the JSON is the message content
        message, finish = {"role": "assistant", "content": arguments}, "stop"
    return {
        "id": "chatcmpl-fake",
        "provider": "fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 321, "completion_tokens": 42, "total_tokens": 363},
    }


async def openai_stream(
    body: dict[str, Any], chunks: list[str], gap: float = 0.0
) -> AsyncIterator[bytes]:
    """Chat-completion chunks as server-sent events: text deltas, the finish, usage, [DONE]."""

    def event(choices: list[dict[str, Any]], **extra: Any) -> bytes:
        chunk = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": body.get("model", "fake"),
            "choices": choices,
            **extra,
        }
        return f"data: {json.dumps(chunk)}\n\n".encode()

    yield event([{"index": 0, "delta": {"role": "assistant", "content": ""}}])
    for text in chunks:
        yield event([{"index": 0, "delta": {"content": text}, "finish_reason": None}])
        await asyncio.sleep(gap)
    yield event([{"index": 0, "delta": {}, "finish_reason": "stop"}])
    usage = {"prompt_tokens": 321, "completion_tokens": 42, "total_tokens": 363}
    yield event([], usage=usage)
    yield b"data: [DONE]\n\n"


def anthropic_message(body: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    tool = output_tool_name(body)
    if tool:
        content: list[dict[str, Any]] = [
            {"type": "tool_use", "id": "toolu_fake", "name": tool, "input": output}
        ]
        stop = "tool_use"
    else:
        content, stop = [{"type": "text", "text": json.dumps(output)}], "end_turn"
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "fake"),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": 321, "output_tokens": 42},
    }


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must go straight there, never through a configured proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture(scope="session")
async def _fake_server() -> AsyncIterator[FakeLLM]:
    fake = FakeLLM()
    app = Starlette(routes=[Route("/{path:path}", fake.handle, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # connections queue until the server accepts: no start-up wait needed
    fake.port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    yield fake
    server.should_exit = True
    await task
    sock.close()


@pytest.fixture
def fake_llm(_fake_server: FakeLLM) -> Iterator[FakeLLM]:
    _fake_server.script(Reply())
    yield _fake_server
