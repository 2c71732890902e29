"""An LLM behind the `Classifier` interface: timeout, retries, circuit breaker, fallback.

A provider that is slow, rate-limited or down never fails a triage: after the retries the
local classifier answers and the Suggestion carries a warning saying so.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from supportdesk.triage.base import Classifier, Suggestion, ticket_text
from supportdesk.triage.llm.agents import LazyAgent
from supportdesk.triage.llm.calls import CallRecord, CallRecorder, Outcome
from supportdesk.triage.llm.prompt import Fence, TriageOutput, instructions, user_prompt
from supportdesk.triage.signals import Signals, read_signals

if TYPE_CHECKING:
    from pydantic_ai import Agent
    from pydantic_ai.models import Model
    from pydantic_ai.settings import ModelSettings

log = logging.getLogger(__name__)

CircuitState = Literal["closed", "open", "half_open"]
RETRIED: frozenset[Outcome] = frozenset({"timeout", "rate_limited", "server_error"})
# Retrying is ours (backoff, breaker), so the SDK makes one attempt. A label and a sentence
# need no long reasoning: thinking off keeps the answer fast and cheap, and a small token
# cap keeps Anthropic's SDK from switching to streaming for the model's maximum output.
MODEL_SETTINGS: ModelSettings = {"max_retries": 0, "max_tokens": 1024, "thinking": False}

# How the answer is asked for, in order: a tool call, then JSON mode (a response schema),
# then JSON asked for in the prompt. Some OpenAI-compatible servers refuse the first
# (`tool_choice: "required"` is a 400) or answer it in prose; the first mode that works
# for a provider and model is remembered for the process.
OutputMode = Literal["tool", "native", "prompted"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("tool", "native", "prompted")
_working_modes: dict[tuple[str, str], OutputMode] = {}


class CircuitBreaker:
    """After `failure_threshold` failed classifications in a row, skip the provider for
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


@dataclass(frozen=True)
class LLMResult:
    """A validated Suggestion, or why there is none."""

    outcome: Outcome
    suggestion: Suggestion | None = None
    # The provider answered, but not usefully for this ticket (output outside the schema, a
    # request it refused): the ticket may be at fault, so it says nothing of availability.
    answered: bool = False


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


def _refuses_mode(exc: BaseException) -> bool:
    """The server rejected how the answer was asked for (a 400, or a mode its model
    profile lacks) or answered it in prose: another output mode may work."""
    from pydantic_ai import exceptions as x

    return _is_bad_request(exc) or isinstance(exc, x.UnexpectedModelBehavior | x.UserError)


def _is_bad_request(exc: BaseException) -> bool:
    from pydantic_ai.exceptions import ModelHTTPError

    return isinstance(exc, ModelHTTPError) and exc.status_code == 400


def answered(outcome: Outcome, exc: BaseException) -> bool:
    """The provider was up and replied: with output outside the schema, or refusing this
    request (400/413/422: too long, filtered)."""
    from pydantic_ai.exceptions import ModelHTTPError

    refused = isinstance(exc, ModelHTTPError) and exc.status_code in (400, 413, 422)
    return outcome == "invalid_output" or refused


def _is_connection_error(exc: BaseException) -> bool:
    from pydantic_ai.exceptions import ModelConnectionError

    return isinstance(exc, ModelConnectionError)


class LLMClassifier:
    """Classifies with one LLM; falls back to `fallback` whenever the LLM has no valid answer."""

    def __init__(
        self,
        model: Callable[[], Model],
        *,
        provider: str,
        model_name: str,
        fallback: Classifier,
        recorder: CallRecorder | None = None,
        breaker: CircuitBreaker | None = None,
        timeout_seconds: float = 10.0,
        max_retries: int = 2,
        backoff_seconds: float = 0.5,
        max_backoff_seconds: float = 8.0,
        review_threshold: float = 0.55,
    ) -> None:
        self._make_model = model
        self._agents = {mode: LazyAgent(self._agent_builder(mode)) for mode in OUTPUT_MODES}
        self.provider, self.model_name = provider, model_name
        self.name = f"{provider}:{model_name}"
        self.fallback = fallback
        self.recorder = recorder
        self.breaker = breaker or CircuitBreaker()
        self.timeout_seconds = timeout_seconds
        self.retry = RetryPolicy(max_retries, backoff_seconds, max_backoff_seconds)
        self.review_threshold = review_threshold
        self.last_outcome: Outcome | None = None
        self.last_error: str | None = None
        self.last_latency_ms: float | None = None

    async def classify(self, title: str, description: str) -> Suggestion:
        result = await self.ask(title, description)
        if result.suggestion is not None:
            return result.suggestion
        local = await self.fallback.classify(title, description)
        return replace(local, warning=self.fallback_warning(result.outcome))

    def fallback_warning(self, outcome: Outcome) -> str:
        if outcome == "circuit_open":
            return f"LLM {self.provider} skipped (circuit open); answered by local model"
        return f"LLM {self.provider} failed ({outcome}); answered by local model"

    async def ask(self, title: str, description: str) -> LLMResult:
        """The LLM's validated answer, retried on transient failures; never raises for them."""
        if not self.breaker.allow():
            self.last_outcome = "circuit_open"
            await self._record(
                CallRecord(self.provider, self.model_name, "circuit_open", 0.0, attempt=0)
            )
            return LLMResult("circuit_open")
        try:
            result = await self._ask_with_retries(title, description)
        except asyncio.CancelledError:
            self.breaker.abandon()
            raise
        # Only an unavailable provider counts towards opening the circuit: otherwise a few
        # crafted tickets could turn the LLM off for everyone.
        if result.suggestion is not None or result.answered:
            self.breaker.success()
        else:
            self.breaker.failure()
        return result

    def status(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model_name,
            "circuit": self.breaker.state,
            "consecutive_failures": self.breaker.consecutive_failures,
            "last_outcome": self.last_outcome,
            "last_error": self.last_error,
            "last_latency_ms": self.last_latency_ms,
        }

    async def _ask_with_retries(self, title: str, description: str) -> LLMResult:
        seen = read_signals(ticket_text(title, description))
        key = (self.provider, self.model_name)
        known = key in _working_modes
        modes = iter(OUTPUT_MODES[OUTPUT_MODES.index(_working_modes.get(key, "tool")) :])
        mode = next(modes)
        try:
            agent = await self._agents[mode].get()
        except Exception as exc:  # a missing SDK or a provider refusing its settings
            error = describe_error(exc)
            await self._finish(time.perf_counter(), 1, "error", error=error)
            log_failure(self.provider, 1, error, None)
            return LLMResult("error")
        # One budget for every attempt and wait: a triage waits `timeout_seconds` for the
        # LLM at most, then answers locally.
        deadline = time.monotonic() + self.timeout_seconds
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                output, tokens = await self._run_once(
                    agent, title, description, seen, deadline - time.monotonic()
                )
            except Exception as exc:
                outcome, error = error_outcome(exc), describe_error(exc)
                await self._finish(started, attempt, outcome, error=error)
                following = None if known or not _refuses_mode(exc) else next(modes, None)
                if following is not None:
                    log.warning(
                        "LLM %s: %s output failed (%s), trying %s", key, mode, error, following
                    )
                    mode, agent = following, await self._agents[following].get()
                    continue
                seconds_left = deadline - time.monotonic()
                delay = self.retry.delay(attempt, outcome, exc, seconds_left, self.breaker)
                log_failure(self.provider, attempt, error, delay)
                if delay is None:
                    # Refused in every mode by a provider not yet seen working: it is the
                    # server that cannot answer, not this ticket, so the circuit counts it.
                    refused_everywhere = not known and _is_bad_request(exc)
                    return LLMResult(
                        outcome, answered=answered(outcome, exc) and not refused_everywhere
                    )
                await asyncio.sleep(delay)
                continue
            _working_modes[key] = mode
            await self._finish(started, attempt, "ok", tokens=tokens)
            return LLMResult("ok", self._suggestion(output, seen.describe()))

    async def _run_once(
        self,
        agent: Agent[None, TriageOutput],
        title: str,
        description: str,
        seen: Signals,
        seconds_left: float,
    ) -> tuple[TriageOutput, tuple[int | None, int | None]]:
        fence = Fence()
        async with asyncio.timeout(seconds_left):
            run = await agent.run(
                user_prompt(fence, title, description),
                instructions=instructions(fence, seen),
                model_settings=MODEL_SETTINGS,
            )
        usage = run.usage
        return run.output, (usage.input_tokens, usage.output_tokens)

    def _agent_builder(self, mode: OutputMode) -> Callable[[], Agent[None, TriageOutput]]:
        def build() -> Agent[None, TriageOutput]:
            from pydantic_ai import Agent, NativeOutput, PromptedOutput

            output: type[TriageOutput] | NativeOutput[TriageOutput] | PromptedOutput[TriageOutput]
            output = TriageOutput
            if mode == "native":
                output = NativeOutput(TriageOutput)
            elif mode == "prompted":
                output = PromptedOutput(TriageOutput)
            # No re-ask on invalid output: a wrong label goes to the local model, not a 2nd
            # bill.
            return Agent(
                self._make_model(), output_type=output, retries={"output": 0}, name="triage"
            )

        return build

    def _suggestion(self, output: TriageOutput, signals: list[str]) -> Suggestion:
        category_confidence = round(output.category_confidence, 3)
        priority_confidence = round(output.priority_confidence, 3)
        return Suggestion(
            category=output.category,
            priority=output.priority,
            category_confidence=category_confidence,
            priority_confidence=priority_confidence,
            reasoning=output.reasoning,
            provider=self.name,
            signals=signals,
            needs_review=min(category_confidence, priority_confidence) < self.review_threshold,
        )

    async def _finish(
        self,
        started: float,
        attempt: int,
        outcome: Outcome,
        *,
        tokens: tuple[int | None, int | None] = (None, None),
        error: str | None = None,
    ) -> None:
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        self.last_outcome, self.last_latency_ms = outcome, latency_ms
        # The error of the last call only: a later success clears it.
        self.last_error = error[:500] if error is not None else None
        record = CallRecord(
            self.provider,
            self.model_name,
            outcome,
            latency_ms,
            input_tokens=tokens[0],
            output_tokens=tokens[1],
            attempt=attempt,
            error=self.last_error,
        )
        await self._record(record)

    async def _record(self, record: CallRecord) -> None:
        if self.recorder is None:
            return
        try:
            await self.recorder.record(record)
        except Exception:
            # Losing a log line must not lose the ticket's triage.
            log.exception("could not record LLM call")
