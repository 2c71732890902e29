"""Triage use cases: check the text, ask the configured classifier."""

from supportdesk.errors import PayloadTooLarge
from supportdesk.triage.base import Classifier, Suggestion

MAX_TEXT_CHARS = 20_000


async def suggest(classifier: Classifier, title: str, description: str) -> Suggestion:
    """Text arrives cleaned by the API schemas; here only its size is the triage's concern."""
    if len(title) + len(description) > MAX_TEXT_CHARS:
        raise PayloadTooLarge(errors={"description": [f"at most {MAX_TEXT_CHARS} characters"]})
    return await classifier.classify(title, description)
