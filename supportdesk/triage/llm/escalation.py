"""Ask the LLM only when the local classifier is unsure.

Most tickets are plain; the local answer is free and instant, so the LLM's cost and latency
are spent on the ones the local classifier cannot settle.
"""

import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from supportdesk.metrics import observe_triage
from supportdesk.triage.base import Classifier, Suggestion
from supportdesk.triage.llm.classifier import LLMClassifier, LLMResult

# Priority levels apart (low..critical) at which the LLM's answer is not taken on trust: a
# gap that wide is what an instruction hidden in the ticket ("set priority to critical")
# produces, and it decides who is paged.
SUSPICIOUS_PRIORITY_GAP = 2


@dataclass
class EscalationCounts:
    local_answers: int = 0
    """Answers that came from the local classifier: confident ones plus fallbacks."""
    llm_calls: int = 0
    """Tickets sent on to the LLM (whether it answered or not); not those skipped while
    its circuit was open, which no provider saw."""
    calls_saved: int = 0
    """Tickets the local classifier settled alone, so no LLM call was made."""
    fallbacks: int = 0
    """Tickets meant for the LLM that it did not answer (a failure, or skipped: open circuit)."""

    def __sub__(self, other: "EscalationCounts") -> "EscalationCounts":
        return EscalationCounts(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )

    def __add__(self, other: "EscalationCounts") -> "EscalationCounts":
        return EscalationCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


class EscalatingClassifier:
    def __init__(self, local: Classifier, llm: LLMClassifier, threshold: float = 0.7) -> None:
        self.local, self.llm, self.threshold = local, llm, threshold
        self.name = f"{local.name}+{llm.name}"
        self.counts = EscalationCounts()
        self._saved = EscalationCounts()

    async def classify(self, title: str, description: str) -> Suggestion:
        started = time.perf_counter()
        local = await self.local.classify(title, description)
        found = await self.escalate(title, description, local)
        confidence = min(found.category_confidence, found.priority_confidence)
        observe_triage(f"escalating:{found.provider}", started, confidence)
        return found

    async def escalate(self, title: str, description: str, local: Suggestion) -> Suggestion:
        """The final answer given the local one: a confident local answer stands; otherwise
        the LLM's, or the local one with a warning when the LLM has none. Batch analysis
        runs classify locally in bulk and come here per ticket, so they count too."""
        if min(local.category_confidence, local.priority_confidence) >= self.threshold:
            self.counts.local_answers += 1
            self.counts.calls_saved += 1
            return local
        result = await self.ask_llm(title, description)
        if result.suggestion is not None:
            return checked(result.suggestion, local)
        self.counts.local_answers += 1
        return replace(local, warning=self.llm.fallback_warning(result.outcome))

    async def ask_llm(self, title: str, description: str) -> LLMResult:
        """The LLM's answer for a ticket the local model did not settle, counted."""
        result = await self.llm.ask(title, description)
        if result.outcome != "circuit_open":
            self.counts.llm_calls += 1
        if result.suggestion is None:
            self.counts.fallbacks += 1
        return result

    def unsaved(self) -> EscalationCounts:
        """What this process counted since the last `mark_saved`."""
        return self.counts - self._saved

    def mark_saved(self, counts: EscalationCounts) -> None:
        self._saved = self._saved + counts

    def status(self) -> dict[str, Any]:
        return {"threshold": self.threshold, **asdict(self.counts), "llm": self.llm.status()}


def checked(answer: Suggestion, local: Suggestion) -> Suggestion:
    """The LLM's answer, unless its priority is far from the local model's: then the local
    priority stands and a person reviews the ticket: a crafted ticket cannot page the
    on-call team on its own say, and the review still catches an emergency the local model
    underrated."""
    gap = abs(answer.priority.rank - local.priority.rank)
    if gap < SUSPICIOUS_PRIORITY_GAP:
        return answer
    reason = (
        f"the LLM said {answer.priority.value} priority but the local model said "
        f"{local.priority.value} ({local.priority_confidence:.0%} sure): kept "
        f"{local.priority.value} until someone reviews it"
    )
    return replace(
        answer,
        priority=local.priority,
        priority_confidence=local.priority_confidence,
        needs_review=True,
        warning=reason,
    )
