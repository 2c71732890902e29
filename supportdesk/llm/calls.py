"""One record per request sent to an LLM provider, and where those records go.

`CallRecorder` is the seam: today `CallLog` keeps the last calls in memory; a recorder that
inserts into a table implements the same `record` and is passed in its place.
"""

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol

log = logging.getLogger(__name__)

Outcome = Literal[
    "ok",
    "timeout",
    "rate_limited",
    "server_error",
    "invalid_output",
    "circuit_open",
    "error",
]


@dataclass(frozen=True)
class CallRecord:
    provider: str
    model: str
    outcome: Outcome
    latency_ms: float
    input_tokens: int | None = None
    output_tokens: int | None = None
    attempt: int = 1
    """1 for the first try of a classification, 2 and up for retries; 0 when never sent."""
    error: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class CallRecorder(Protocol):
    async def record(self, call: CallRecord) -> None: ...


class CallLog:
    """The most recent calls, oldest dropped first."""

    def __init__(self, capacity: int = 500) -> None:
        self._calls: deque[CallRecord] = deque(maxlen=capacity)

    async def record(self, call: CallRecord) -> None:
        self._calls.append(call)

    def recent(self, limit: int | None = None) -> list[CallRecord]:
        """Newest first."""
        calls = list(reversed(self._calls))
        return calls if limit is None else calls[:limit]

    def __len__(self) -> int:
        return len(self._calls)


async def record_call(
    recorder: CallRecorder | None,
    provider: str,
    model: str,
    outcome: Outcome,
    started: float,
    *,
    tokens: tuple[int | None, int | None] = (None, None),
    error: str | None = None,
    attempt: int = 1,
) -> None:
    """Record one call that began at `started` (time.perf_counter()). A recorder that
    fails is logged and ignored: losing a log line must never lose the work itself."""
    if recorder is None:
        return
    record = CallRecord(
        provider,
        model,
        outcome,
        round((time.perf_counter() - started) * 1000, 1),
        input_tokens=tokens[0],
        output_tokens=tokens[1],
        attempt=attempt,
        error=error[:500] if error else None,
    )
    try:
        await recorder.record(record)
    except Exception:
        log.exception("could not record an LLM call")
