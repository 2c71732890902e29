"""The suggestions this process gave lately, so a ticket filed with them counts as accepted.

Clients that show a suggestion (our form, and the reference systems' own React client) file
the ticket with the labels the person accepted as ordinary fields. Comparing those with what
this server suggested for the same text tells an acceptance from an agent's own choice, and
keeps the suggestion's review flag, which the client never sends.
"""

import hashlib
from collections import OrderedDict

from supportdesk.triage.base import Suggestion


def _key(description: str) -> bytes:
    # The reference client classifies the description alone, then files it with a title.
    return hashlib.sha256(" ".join(description.split()).encode()).digest()


class RecentSuggestions:
    """The last `capacity` suggestions, by a hash of the description (newest wins)."""

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._suggestions: OrderedDict[bytes, Suggestion] = OrderedDict()

    def remember(self, description: str, suggestion: Suggestion) -> None:
        key = _key(description)
        self._suggestions[key] = suggestion
        self._suggestions.move_to_end(key)
        while len(self._suggestions) > self._capacity:
            self._suggestions.popitem(last=False)

    def recall(self, description: str) -> Suggestion | None:
        return self._suggestions.get(_key(description))
