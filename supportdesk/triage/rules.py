"""A deterministic classifier from explicit cues alone: no model, no randomness.

It answers when no model is available, and its priority rule encodes the labeling guide:
impact decides, urgency words alone do not.
"""

from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.base import Suggestion, ticket_text
from supportdesk.triage.model.signals import IMPACT_WORDS, Signals, read_signals

# Ties go to the category an agent must act on first: a broken product before money,
# money before access, everything else last.
TIE_ORDER = (Category.TECHNICAL, Category.BILLING, Category.ACCOUNT, Category.GENERAL)
ALWAYS_CRITICAL = {"outage", "data_loss", "payments_failing", "security"}
CRITICAL_WITH_PROBLEM = {"everyone_affected", "safety", "revenue_loss"}


def rule_priority(signals: Signals) -> tuple[Priority, float, str]:
    impact = set(signals.critical)
    has_problem = bool(signals.problem or signals.blocked)
    if impact & ALWAYS_CRITICAL or (impact & CRITICAL_WITH_PROBLEM and has_problem):
        said = ", ".join(IMPACT_WORDS[name].lower() for name in sorted(impact))
        return Priority.CRITICAL, 0.8, said
    if signals.blocked and not signals.workaround:
        return (
            Priority.HIGH,
            0.65,
            f"the customer is blocked with no workaround ({signals.blocked[0]})",
        )
    if has_problem:
        reason = "a workaround exists" if signals.workaround else "something is wrong"
        return Priority.MEDIUM, 0.6, f"{reason}, nothing blocked"
    reason = "it is a question or request" if signals.low else "no problem is described"
    return Priority.LOW, 0.6 if signals.low else 0.45, reason


def rule_category(signals: Signals) -> tuple[Category, float]:
    scores = dict(signals.category_hits)
    if "outage" in signals.critical or "everyone_affected" in signals.critical:
        # Many people failing at once is a product problem, even when it shows as a login.
        scores[Category.TECHNICAL] = scores.get(Category.TECHNICAL, 0) + 1
    total = sum(scores.values())
    if total == 0:
        return Category.GENERAL, 0.4
    best = max(TIE_ORDER, key=lambda c: (scores.get(c, 0), -TIE_ORDER.index(c)))
    return best, round(0.4 + 0.5 * scores[best] / total, 3)


class RuleClassifier:
    name = "rules"

    def __init__(self, review_threshold: float = 0.55) -> None:
        self.review_threshold = review_threshold

    def classify_text(self, title: str, description: str) -> Suggestion:
        signals = read_signals(ticket_text(title, description))
        category, category_confidence = rule_category(signals)
        priority, priority_confidence, why = rule_priority(signals)
        return Suggestion(
            category=category,
            priority=priority,
            category_confidence=category_confidence,
            priority_confidence=priority_confidence,
            reasoning=(f"Mostly {category.value} words; {priority.value} priority because {why}."),
            provider=self.name,
            signals=signals.describe(),
            needs_review=min(category_confidence, priority_confidence) < self.review_threshold,
        )

    async def classify(self, title: str, description: str) -> Suggestion:
        return self.classify_text(title, description)
