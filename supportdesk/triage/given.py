"""The suggestions this server recently gave, by the text they were given for.

A client that accepted a suggestion may send its labels back as ordinary fields (the
reference systems' client does; so does our form, without the review flag). Labels equal to
what was suggested for the same text are the AI's accepted, and keep that suggestion's
review flag, instead of counting as labelled by hand.
"""

import hashlib
from collections import OrderedDict

from supportdesk.triage.base import Suggestion, ticket_text

# Enough for every form open at once; a miss only means the labels count as a person's.
REMEMBERED = 10_000


def _key(title: str, description: str) -> bytes:
    return hashlib.sha256(ticket_text(title, description).encode()).digest()


class GivenSuggestions:
    """A bounded, least-recently-used memory of one process's suggestions."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self._size = size
        self._given: OrderedDict[bytes, Suggestion] = OrderedDict()

    def remember(self, title: str, description: str, suggestion: Suggestion) -> None:
        # Also under the description alone: the reference client asks about the description
        # only, and in our form the title may still change after the suggestion came.
        for key in {_key(title, description), _key("", description)}:
            self._given[key] = suggestion
            self._given.move_to_end(key)
        while len(self._given) > self._size:
            self._given.popitem(last=False)

    def recall(self, title: str, description: str) -> Suggestion | None:
        given = self._given.get(_key(title, description))
        return given or self._given.get(_key("", description))
