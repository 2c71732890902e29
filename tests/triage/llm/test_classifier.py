"""Circuit breaker, call log, and the failure paths that need no HTTP server."""

import asyncio

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models.function import AgentInfo, FunctionModel

from supportdesk.llm import CallLog, CallRecord, CircuitBreaker, error_outcome
from tests.triage.llm.helpers import Scripted, llm


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_threshold_and_probes_once_after_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, cooldown_seconds=10, clock=clock)
    states = []
    for _ in range(3):
        assert breaker.allow()
        breaker.failure()
        states.append(breaker.state)
    assert states == ["closed", "closed", "open"]
    assert not breaker.allow()
    clock.now = 10
    assert breaker.state == "half_open"
    assert [breaker.allow(), breaker.allow()] == [True, False]  # one probe at a time
    breaker.failure()  # the probe failed: open for another cool-down
    assert (breaker.state, breaker.allow()) == ("open", False)
    clock.now = 20
    assert breaker.allow()
    breaker.success()
    assert (breaker.state, breaker.consecutive_failures) == ("closed", 0)


def test_success_resets_the_failure_streak() -> None:
    breaker = CircuitBreaker(failure_threshold=2)
    breaker.failure()
    breaker.success()
    breaker.failure()
    assert breaker.state == "closed"


def test_a_cancelled_probe_frees_the_half_open_slot() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=1, clock=clock)
    breaker.failure()
    clock.now = 1
    assert breaker.allow()
    breaker.abandon()
    assert breaker.allow()


async def test_cancelled_call_does_not_count_as_a_failure() -> None:
    async def slow(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await asyncio.sleep(10)
        raise AssertionError("unreachable")

    breaker = CircuitBreaker(failure_threshold=1)
    classifier = llm(FunctionModel(slow), breaker=breaker)
    task = asyncio.create_task(classifier.classify("a", "b"))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert breaker.state == "closed"


async def test_call_log_keeps_the_newest_calls() -> None:
    log = CallLog(capacity=3)
    for i in range(5):
        await log.record(CallRecord("p", f"m{i}", "ok", 1.0))
    assert len(log) == 3
    assert [call.model for call in log.recent()] == ["m4", "m3", "m2"]
    assert [call.model for call in log.recent(1)] == ["m4"]


async def test_a_failing_recorder_does_not_fail_the_triage() -> None:
    class Broken:
        async def record(self, call: CallRecord) -> None:
            raise OSError("disk full")

    classifier = llm(Scripted().model())
    classifier.recorder = Broken()
    suggestion = await classifier.classify("Crash", "App crashes")
    assert suggestion.warning is None


@pytest.mark.parametrize(
    ("exc", "outcome"),
    [
        (TimeoutError(), "timeout"),
        (ModelHTTPError(429, "m"), "rate_limited"),
        (ModelHTTPError(502, "m"), "server_error"),
        (ModelHTTPError(401, "m"), "error"),
        (ModelHTTPError(404, "m"), "error"),
        (ValueError("x"), "error"),
    ],
)
def test_error_outcomes(exc: Exception, outcome: str) -> None:
    assert error_outcome(exc) == outcome


async def test_long_retry_after_gives_up_instead_of_waiting() -> None:
    def limited(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise ModelHTTPError(429, "m", headers={"retry-after": "120"})

    log = CallLog()
    suggestion = await llm(FunctionModel(limited), log=log).classify("a", "b")
    assert suggestion.warning == "LLM fake failed (rate_limited); answered by local model"
    assert [call.outcome for call in log.recent()] == ["rate_limited"]


async def test_short_retry_after_is_retried() -> None:
    calls: list[int] = []
    scripted = Scripted()

    def flaky(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls.append(1)
        if len(calls) == 1:
            raise ModelHTTPError(429, "m", headers={"retry-after": "0"})
        return scripted(messages, info)

    log = CallLog()
    classifier = llm(FunctionModel(flaky), log=log)
    suggestion = await classifier.classify("a", "b")
    assert suggestion.warning is None
    calls_made = list(reversed(log.recent()))
    assert [(c.outcome, c.attempt) for c in calls_made] == [("rate_limited", 1), ("ok", 2)]
    assert calls_made[0].error and calls_made[1].error is None
    assert classifier.status()["last_error"] is None  # the success cleared the old error
