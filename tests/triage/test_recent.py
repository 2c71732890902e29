"""Remembered suggestions: by the description's words, newest first, bounded."""

from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.base import Suggestion
from supportdesk.triage.recent import RecentSuggestions


def suggestion(category: Category) -> Suggestion:
    return Suggestion(category, Priority.LOW, 0.9, 0.9, "", "local:test")


def test_the_same_words_recall_the_newest_suggestion() -> None:
    recent = RecentSuggestions()
    recent.remember("charged  twice\n", suggestion(Category.GENERAL))
    recent.remember("charged twice", suggestion(Category.BILLING))
    recalled = recent.recall(" charged twice ")
    assert recalled is not None and recalled.category == Category.BILLING
    assert recent.recall("charged twice!") is None


def test_the_oldest_is_forgotten_past_the_capacity() -> None:
    recent = RecentSuggestions(capacity=2)
    for text in ("one", "two", "three"):
        recent.remember(text, suggestion(Category.GENERAL))
    assert recent.recall("one") is None
    assert recent.recall("two") is not None and recent.recall("three") is not None
