"""An LLM behind the `Classifier` interface: timeout, retries, circuit breaker, fallback.

A provider that is slow, rate-limited or down never fails a triage: after the retries the
local classifier answers and the Suggestion carries a warning saying so.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from supportdesk.llm import (
    CallRecord,
    CallRecorder,
    CircuitBreaker,
    Fence,
    LazyAgent,
    Outcome,
    RetryPolicy,
    Tokens,
    answered,
    describe_error,
    error_outcome,
    log_failure,
    run,
)
from supportdesk.triage.base import Classifier, Suggestion, ticket_text
from supportdesk.triage.llm.prompt import TriageOutput, instructions, user_prompt
from supportdesk.triage.model.signals import Signals, read_signals

if TYPE_CHECKING:
    from pydantic_ai import Agent
    from pydantic_ai.models import Model

log = logging.getLogger(__name__)

# How the answer is asked for, in order: a tool call, then JSON mode (a response schema),
# then JSON asked for in the prompt. Some OpenAI-compatible servers refuse the first
# (`tool_choice: "required"` is a 400) or answer it in prose; the first mode that works
# for a provider and model is remembered for the process.
OutputMode = Literal["tool", "native", "prompted"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("tool", "native", "prompted")
_working_modes: dict[tuple[str, str], OutputMode] = {}


@dataclass(frozen=True)
class LLMResult:
    """A validated Suggestion, or why there is none."""

    outcome: Outcome
    suggestion: Suggestion | None = None
    # The provider answered, but not usefully for this ticket (output outside the schema, a
    # request it refused): the ticket may be at fault, so it says nothing of availability.
    answered: bool = False


def _refuses_mode(exc: BaseException) -> bool:
    """The server rejected how the answer was asked for (a 400, or a mode its model
    profile lacks) or answered it in prose: another output mode may work."""
    from pydantic_ai import exceptions as x

    return _is_bad_request(exc) or isinstance(exc, x.UnexpectedModelBehavior | x.UserError)


def _is_bad_request(exc: BaseException) -> bool:
    from pydantic_ai.exceptions import ModelHTTPError

    return isinstance(exc, ModelHTTPError) and exc.status_code == 400


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
            **self.breaker.status(),
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
            await self._agents[mode].get()  # built before the timeout starts
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
                    mode, title, description, seen, deadline - time.monotonic()
                )
            except Exception as exc:
                outcome, error = error_outcome(exc), describe_error(exc)
                await self._finish(started, attempt, outcome, error=error)
                following = None if known or not _refuses_mode(exc) else next(modes, None)
                if following is not None:
                    log.warning(
                        "LLM %s: %s output failed (%s), trying %s", key, mode, error, following
                    )
                    mode = following
                    await self._agents[mode].get()
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
        self, mode: OutputMode, title: str, description: str, seen: Signals, seconds_left: float
    ) -> tuple[TriageOutput, Tokens]:
        fence = Fence()
        reply = await run(
            self._agents[mode],
            user_prompt(fence, title, description),
            instructions=instructions(fence, seen),
            seconds=seconds_left,
        )
        return reply.output, reply.tokens

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
