"""Answers kept as sent (JSON bytes), each with the version of the data it was built from,
per process: served again only while the version asked for is the one it was built at."""

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
# What an entry costs besides its body (its key, a URL at most a few hundred characters,
# the tuples and the dict's slot), counted generously: many small answers stay within size.
ENTRY_BYTES = 1024


class KeptAnswers(Generic[K, V]):
    """The least recently sent are let go past `max_bytes` (0 keeps none)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[K, tuple[V, bytes]] = OrderedDict()
        self._bytes = 0

    def get(self, key: K, version: V) -> bytes | None:
        found = self._answers.get(key)
        if found is None or found[0] != version:
            return None
        self._answers.move_to_end(key)
        return found[1]

    def put(self, key: K, version: V, body: bytes) -> None:
        replaced = self._answers.pop(key, None)
        if replaced is not None:
            self._bytes -= ENTRY_BYTES + len(replaced[1])
        if ENTRY_BYTES + len(body) > self.max_bytes:
            return
        self._answers[key] = (version, body)
        self._bytes += ENTRY_BYTES + len(body)
        while self._bytes > self.max_bytes:
            _, (_, dropped) = self._answers.popitem(last=False)
            self._bytes -= ENTRY_BYTES + len(dropped)
