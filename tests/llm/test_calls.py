"""Where the records of LLM calls go."""

from supportdesk.llm import CallLog, CallRecord


async def test_call_log_keeps_the_newest_calls() -> None:
    log = CallLog(capacity=3)
    for i in range(5):
        await log.record(CallRecord("p", f"m{i}", "ok", 1.0))
    assert len(log) == 3
    assert [call.model for call in log.recent()] == ["m4", "m3", "m2"]
    assert [call.model for call in log.recent(1)] == ["m4"]
