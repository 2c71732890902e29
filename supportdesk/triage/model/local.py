"""The default classifier: MiniLM embeddings + trained heads + explicit signals, offline."""

import asyncio
import time

from supportdesk.metrics import observe_triage
from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.base import Suggestion, ticket_text
from supportdesk.triage.model.embeddings import TextEmbedder
from supportdesk.triage.model.features import featurize
from supportdesk.triage.model.heads import Array, Heads, ordinal_choice
from supportdesk.triage.model.language import looks_english
from supportdesk.triage.model.signals import Signals, read_signals, says_little

# How sure a guess may look: below the review threshold, so it is flagged for a person.
GUESS_CONFIDENCE = 0.3


# The guide: a login failure that many people see is a product problem, not one person's
# access. The bank has few such tickets, so when the text reports an outage, what the
# model gave to "account" goes to "technical".
def outage_is_technical(probabilities: Array, signals: list[Signals]) -> Array:
    account = list(Category).index(Category.ACCOUNT)
    technical = list(Category).index(Category.TECHNICAL)
    adjusted = probabilities.copy()
    for row, seen in enumerate(signals):
        if "outage" in seen.critical:
            adjusted[row, technical] += adjusted[row, account]
            adjusted[row, account] = 0.0
    return adjusted


class LocalClassifier:
    name = "local"

    def __init__(
        self, embedder: TextEmbedder, heads: Heads, version: str, review_threshold: float
    ) -> None:
        self.embedder = embedder
        self.heads = heads
        self.version = version
        self.review_threshold = review_threshold

    def classify_many(self, tickets: list[tuple[str, str]]) -> list[Suggestion]:
        texts = [ticket_text(title, description) for title, description in tickets]
        return self.classify_embedded(texts, self.embedder.embed(texts))

    def classify_embedded(self, texts: list[str], embeddings: Array) -> list[Suggestion]:
        """For texts (read by `ticket_text`) whose embeddings are already known."""
        signals = [read_signals(text) for text in texts]
        features = featurize(embeddings, texts, signals)
        categories = outage_is_technical(
            self.heads.category_probabilities(features, embeddings), signals
        )
        priorities = self.heads.priority_probabilities(features)
        levels = ordinal_choice(priorities)
        return [
            self._suggestion(text, seen, category_p, priority_p, int(level))
            for text, seen, category_p, priority_p, level in zip(
                texts, signals, categories, priorities, levels, strict=True
            )
        ]

    def _suggestion(
        self, text: str, signals: Signals, category_p: Array, priority_p: Array, priority_i: int
    ) -> Suggestion:
        category_i = int(category_p.argmax())
        category = Category(self.heads.category.labels[category_i])
        priority = Priority(self.heads.priority.labels[priority_i])
        category_confidence = round(float(category_p[category_i]), 3)
        priority_confidence = round(float(priority_p[priority_i]), 3)
        notes = signals.describe()
        warning = None
        if not looks_english(text):
            warning = "the text does not look like English; the suggestion is a guess"
            notes.append("Not in English")
        elif says_little(text, signals):
            warning = "the text names no product or problem; the suggestion is a guess"
            notes.append("Says too little to tell")
        if warning:
            category_confidence = min(category_confidence, GUESS_CONFIDENCE)
            priority_confidence = min(priority_confidence, GUESS_CONFIDENCE)
        cues = "; ".join(notes[:3]) or "Nothing in the text stands out"
        return Suggestion(
            category=category,
            priority=priority,
            category_confidence=category_confidence,
            priority_confidence=priority_confidence,
            reasoning=(
                f"Similar to earlier {category.value} tickets ({category_confidence:.0%} sure) "
                f"of {priority.value} priority ({priority_confidence:.0%} sure). {cues}."
            ),
            provider=f"{self.name}:{self.version}",
            signals=notes,
            needs_review=min(category_confidence, priority_confidence) < self.review_threshold,
            warning=warning,
        )

    def classify_text(self, title: str, description: str) -> Suggestion:
        return self.classify_many([(title, description)])[0]

    async def classify(self, title: str, description: str) -> Suggestion:
        started = time.perf_counter()
        # onnxruntime releases the GIL: a thread keeps the event loop serving meanwhile.
        found = await asyncio.to_thread(self.classify_text, title, description)
        observe_triage("local", started, min(found.category_confidence, found.priority_confidence))
        return found
