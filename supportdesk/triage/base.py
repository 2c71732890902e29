"""The one interface every classifier implements: rules, the local model, LLM providers."""

from dataclasses import dataclass, field
from typing import Protocol

from supportdesk.taxonomy import Category, Priority


@dataclass(frozen=True)
class Suggestion:
    category: Category
    priority: Priority
    category_confidence: float
    priority_confidence: float
    reasoning: str
    provider: str
    signals: list[str] = field(default_factory=list)
    needs_review: bool = False
    warning: str | None = None


class Classifier(Protocol):
    name: str

    async def classify(self, title: str, description: str) -> Suggestion: ...


def ticket_text(title: str, description: str) -> str:
    """How a ticket is read by every classifier: the title is the first line."""
    title, description = title.strip(), description.strip()
    return f"{title}\n{description}" if title else description
