"""The local classifier answers alone when sure; the LLM is asked only otherwise."""

from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models.function import AgentInfo, FunctionModel

from supportdesk.llm import CircuitBreaker
from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.base import Suggestion
from supportdesk.triage.llm.escalation import EscalatingClassifier
from tests.triage.llm.helpers import Scripted, llm


class Local:
    name = "local"

    def __init__(self, confidence: float) -> None:
        self.confidence = confidence

    async def classify(self, title: str, description: str) -> Suggestion:
        return Suggestion(
            category=Category.BILLING,
            priority=Priority.MEDIUM,
            category_confidence=self.confidence,
            priority_confidence=self.confidence,
            reasoning="local",
            provider=self.name,
        )


def broken(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    raise RuntimeError("provider exploded")


async def test_confident_local_answers_save_llm_calls() -> None:
    scripted = Scripted()
    escalating = EscalatingClassifier(Local(0.9), llm(scripted.model()), threshold=0.7)
    for _ in range(3):
        suggestion = await escalating.classify("Refund", "Charged twice")
        assert suggestion.provider == "local"
    assert scripted.prompts == []
    status = escalating.status()
    assert status["calls_saved"] == 3 and status["local_answers"] == 3
    assert status["llm_calls"] == 0 and status["fallbacks"] == 0


async def test_unsure_local_escalates_to_llm() -> None:
    scripted = Scripted()
    escalating = EscalatingClassifier(Local(0.5), llm(scripted.model()), threshold=0.7)
    suggestion = await escalating.classify("Crash", "App crashes")
    assert suggestion.provider == "fake:scripted"
    assert len(scripted.prompts) == 1
    assert escalating.status()["llm_calls"] == 1 and escalating.status()["calls_saved"] == 0


async def test_threshold_is_inclusive_and_uses_the_weaker_confidence() -> None:
    escalating = EscalatingClassifier(Local(0.7), llm(Scripted().model()), threshold=0.7)
    assert (await escalating.classify("a", "b")).provider == "local"


async def test_llm_failure_returns_the_local_answer_with_a_warning() -> None:
    escalating = EscalatingClassifier(Local(0.4), llm(FunctionModel(broken)), threshold=0.7)
    suggestion = await escalating.classify("Crash", "App crashes")
    assert suggestion.provider == "local"
    assert suggestion.warning == "LLM fake failed (error); answered by local model"
    status = escalating.status()
    assert (status["llm_calls"], status["fallbacks"], status["local_answers"]) == (1, 1, 1)
    assert status["llm"]["last_outcome"] == "error"
    assert "provider exploded" in status["llm"]["last_error"]
    assert status["llm"]["circuit"] == "closed"


async def test_asking_the_llm_directly_is_counted_too() -> None:
    """Batch analysis asks the LLM itself for a ticket the local model failed on."""
    answering = EscalatingClassifier(Local(0.9), llm(Scripted().model()), threshold=0.7)
    assert (await answering.ask_llm("Crash", "App crashes")).suggestion is not None
    failing = EscalatingClassifier(Local(0.9), llm(FunctionModel(broken)), threshold=0.7)
    assert (await failing.ask_llm("Crash", "App crashes")).suggestion is None
    counted = [(e.status()["llm_calls"], e.status()["fallbacks"]) for e in (answering, failing)]
    assert counted == [(1, 0), (1, 1)]
    assert failing.status()["local_answers"] == 0  # no local answer to fall back to


async def test_tickets_skipped_while_the_circuit_is_open_are_not_llm_calls() -> None:
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=60)
    breaker.failure()
    scripted = Scripted()
    escalating = EscalatingClassifier(Local(0.4), llm(scripted.model(), breaker=breaker))
    suggestion = await escalating.classify("Crash", "App crashes")
    assert "circuit open" in (suggestion.warning or "")
    assert scripted.prompts == []
    status = escalating.status()
    assert (status["llm_calls"], status["fallbacks"], status["local_answers"]) == (0, 1, 1)
