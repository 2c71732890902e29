"""The circuit breaker, and what each failure is called."""

import pytest
from pydantic_ai.exceptions import ModelHTTPError

from supportdesk.llm import CircuitBreaker, error_outcome


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
