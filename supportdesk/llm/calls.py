"""One record per request sent to an LLM provider, and where those records go.

`CallRecorder` is the seam: `CallLog` keeps the last calls in memory (tests, one-off
commands); `DatabaseCallRecorder` inserts them into a table for every process to see.
"""

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol

from supportdesk.db import Database
from supportdesk.llm.models import ProviderCall

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


class DatabaseCallRecorder:
    """Every LLM call becomes a row in triage_provider_calls."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def record(self, call: CallRecord) -> None:
        async with self.database.transaction() as session:
            session.add(
                ProviderCall(
                    created_at=call.at,
                    provider=call.provider,
                    model=call.model,
                    latency_ms=call.latency_ms,
                    input_tokens=call.input_tokens,
                    output_tokens=call.output_tokens,
                    outcome=call.outcome,
                    attempt=call.attempt,
                    error=call.error,
                )
            )


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
