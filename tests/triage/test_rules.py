"""The deterministic rule classifier: the labeling guide's priority rule, every label reachable."""

import pytest

from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.rules import RuleClassifier
from tests.triage.plain_words import assert_plain_words

rules = RuleClassifier()


@pytest.mark.parametrize(
    ("text", "category", "priority"),
    [
        ("Production is down and users cannot log in. This is urgent!", "technical", "critical"),
        ("URGENT!!! how do I change my profile picture?", "account", "low"),
        ("I was charged twice for my subscription this month", "billing", "medium"),
        ("Calm note: checkout is failing for all customers since 9am.", "technical", "critical"),
        ("Please add dark mode, it would be nice", "general", "low"),
        ("App crashes every time I open the dashboard", "technical", "high"),
        ("Someone hacked my account and is making purchases", "account", "critical"),
        ("What does the platform fee on my invoice cover?", "billing", "low"),
    ],
)
def test_guide_examples(text: str, category: str, priority: str) -> None:
    suggestion = rules.classify_text("", text)
    assert (suggestion.category.value, suggestion.priority.value) == (category, priority)


def test_shouting_alone_does_not_raise_priority() -> None:
    calm = rules.classify_text("", "How do I export a report?")
    loud = rules.classify_text("URGENT", "HOW DO I EXPORT A REPORT??? ASAP!!!")
    assert calm.priority == loud.priority == Priority.LOW


def test_every_label_is_reachable() -> None:
    texts = [
        "refund my invoice",
        "api error",
        "password reset",
        "do you ship to Canada",
        "what are your opening hours",
        "the page is slow but works in another browser",
        "cannot log in at all",
        "production outage for every user",
    ]
    seen = [rules.classify_text("", t) for t in texts]
    assert {s.category for s in seen} == set(Category)
    assert {s.priority for s in seen} == set(Priority)


def test_same_text_same_answer() -> None:
    text = "Login page throws error 500 for our whole team"
    first = rules.classify_text("", text)
    assert all(rules.classify_text("", text) == first for _ in range(5))


def test_ties_follow_the_fixed_order() -> None:
    # one technical cue ("error") and one billing cue ("invoice"): technical wins the tie
    assert rules.classify_text("", "error invoice").category == Category.TECHNICAL
    assert rules.classify_text("", "hello").category == Category.GENERAL


@pytest.mark.parametrize(
    "text",
    [
        "None of our customers can pay at checkout, every payment fails. We lose revenue.",
        "I cannot log in and there is no workaround",
        "How do I export a report? It would be nice to have.",
        "URGENT!!! the export is slow, for now I use CSV",
    ],
)
def test_reasons_are_in_an_agents_words(text: str) -> None:
    suggestion = RuleClassifier().classify_text("", text)
    assert_plain_words([suggestion.reasoning, *suggestion.signals])
