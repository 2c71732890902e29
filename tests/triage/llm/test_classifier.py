"""The LLM classifier's failure paths that need no HTTP server."""

import asyncio

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models.function import AgentInfo, FunctionModel

from supportdesk.llm import CallLog, CallRecord, CircuitBreaker
from tests.triage.llm.helpers import Scripted, llm


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


async def test_a_failing_recorder_does_not_fail_the_triage() -> None:
    class Broken:
        async def record(self, call: CallRecord) -> None:
            raise OSError("disk full")

    classifier = llm(Scripted().model())
    classifier.recorder = Broken()
    suggestion = await classifier.classify("Crash", "App crashes")
    assert suggestion.warning is None


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
