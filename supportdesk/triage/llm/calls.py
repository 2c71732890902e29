"""One record per request sent to an LLM provider, and where those records go.

`CallRecorder` is the seam: today `CallLog` keeps the last calls in memory; a recorder that
inserts into a table implements the same `record` and is passed in its place.
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol

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
