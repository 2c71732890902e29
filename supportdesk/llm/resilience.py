"""How an LLM call survives a provider that is slow, rate-limited or down: which failures
are retried and after how long, the circuit breaker that stops asking a provider that is
down, and what each failure is called in the call records."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypedDict

from supportdesk.llm.calls import Outcome

log = logging.getLogger(__name__)

CircuitState = Literal["closed", "open", "half_open"]


class CircuitStatus(TypedDict):
    """A circuit's state as /api/triage/status shows it (`triage.schemas.Circuit`)."""

    circuit: CircuitState
    consecutive_failures: int


RETRIED: frozenset[Outcome] = frozenset({"timeout", "rate_limited", "server_error"})


class CircuitBreaker:
    """After `failure_threshold` failed requests in a row, skip the provider for
    `cooldown_seconds`; then let one probe through and close again if it succeeds."""

    def __init__(
        self,
        failure_threshold: int = 5,
        cooldown_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        name: str = "LLM",
    ) -> None:
        self.name = name  # in the log lines: which circuit (triage's, drafts')
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._state: CircuitState = "closed"
        self._opened_at = 0.0
        self._probing = False
        self.consecutive_failures = 0

    @property
    def state(self) -> CircuitState:
        if self._state == "open" and self._clock() - self._opened_at >= self.cooldown_seconds:
            return "half_open"
        return self._state

    def allow(self) -> bool:
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._probing:
            self._state, self._probing = "half_open", True
            return True
        return False

    def success(self) -> None:
        if self._state != "closed":
            log.warning("%s circuit closed: the provider answered again", self.name)
        self._state, self._probing, self.consecutive_failures = "closed", False, 0

    def failure(self) -> None:
        self.consecutive_failures += 1
        if self._probing or self.consecutive_failures >= self.failure_threshold:
            if self._state == "closed" or self._probing:
                log.warning(
                    "%s circuit opened after %d failures in a row: skipped for %g s",
                    self.name,
                    self.consecutive_failures,
                    self.cooldown_seconds,
                )
            self._state, self._opened_at = "open", self._clock()
        self._probing = False

    def status(self) -> CircuitStatus:
        return {"circuit": self.state, "consecutive_failures": self.consecutive_failures}

    def abandon(self) -> None:
        """A call was cancelled before it had a result: it proves nothing either way."""
        self._probing = False


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures are worth another attempt, and how long to wait before it."""

    max_retries: int = 2
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0

    def delay(
        self,
        attempt: int,
        outcome: Outcome,
        exc: BaseException,
        seconds_left: float,
        breaker: CircuitBreaker,
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None: do not retry. Not when
        the wait would outlast the caller's budget, nor once other calls have meanwhile
        found the provider down."""
        if attempt > self.max_retries or breaker.state == "open":
            return None
        if outcome not in RETRIED and not _is_connection_error(exc):
            return None
        base = min(self.max_backoff_seconds, self.backoff_seconds * 2.0 ** (attempt - 1))
        delay = base / 2 + random.uniform(0, base / 2)
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(retry_after, int | float):
            if retry_after > self.max_backoff_seconds:
                return None  # longer than a caller should wait: give up now
            delay = max(delay, retry_after)
        return delay if delay < seconds_left else None


def error_outcome(exc: BaseException) -> Outcome:
    from pydantic import ValidationError
    from pydantic_ai import exceptions as x

    if isinstance(exc, TimeoutError | x.ModelRequestTimeout | x.ModelTimeoutError):
        return "timeout"
    if isinstance(exc, x.ModelQuotaExceededError):
        return "error"  # sent as a 429 by some providers, but waiting does not refill credits
    if isinstance(exc, x.ModelRateLimitError):
        return "rate_limited"
    if isinstance(exc, x.ModelServerError | x.ModelUnavailableError):
        return "server_error"
    if isinstance(exc, x.ModelHTTPError):
        if exc.status_code == 429:
            return "rate_limited"
        return "server_error" if exc.status_code >= 500 else "error"
    if isinstance(exc, x.UnexpectedModelBehavior | ValidationError):
        return "invalid_output"
    return "error"


def log_failure(provider: str, attempt: int, error: str, retry_in: float | None) -> None:
    """One WARNING per failed attempt, saying whether another follows."""
    if retry_in is None:
        log.warning("LLM %s failed on attempt %d: %s", provider, attempt, error)
    else:
        retrying = f"retrying in {retry_in:.1f} s"
        log.warning("LLM %s failed on attempt %d, %s: %s", provider, attempt, retrying, error)


def describe_error(exc: BaseException) -> str:
    """What went wrong, in words an operator can act on: the SDKs' own messages are often
    empty ("TimeoutError: ") or vague ("Connection error.")."""
    from pydantic_ai import exceptions as x

    if isinstance(exc, TimeoutError | x.ModelRequestTimeout | x.ModelTimeoutError):
        return "timeout: no answer within the time allowed"
    if isinstance(exc, x.ModelHTTPError):
        return f"HTTP {exc.status_code}: {_provider_message(exc.body)}"
    if isinstance(exc, x.ModelConnectionError):
        return f"connection failed: {_root_cause(exc)}"
    if isinstance(exc, x.ModelAPIError) and "decode" in str(exc):
        return f"unreadable response body: {exc}"
    return f"{type(exc).__name__}: {exc}"


def _provider_message(body: object) -> str:
    """The provider's own message from an error body (OpenAI's and Anthropic's shapes)."""
    if isinstance(body, dict):
        inner = body.get("error")
        message = (inner if isinstance(inner, dict) else body).get("message")
        if message:
            return str(message)
    return str(body)[:300] if body else "no message"


def _root_cause(exc: BaseException) -> str:
    """The innermost cause (for a refused connection: the socket's own error)."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return str(exc) or type(exc).__name__


def answered(outcome: Outcome, exc: BaseException) -> bool:
    """The provider was up and replied: with output outside the schema, or refusing this
    request (400/413/422: too long, filtered)."""
    from pydantic_ai.exceptions import ModelHTTPError

    refused = isinstance(exc, ModelHTTPError) and exc.status_code in (400, 413, 422)
    return outcome == "invalid_output" or refused


def _is_connection_error(exc: BaseException) -> bool:
    from pydantic_ai.exceptions import ModelConnectionError

    return isinstance(exc, ModelConnectionError)
