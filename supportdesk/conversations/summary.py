"""A long thread in one paragraph, for the agent who opens it: offline, its most telling
sentences by who said them (extractive); with an LLM provider, written by the model
(see tasks.py), from the thread as fenced data.

Extractive: a sentence tells more the more its words recur across the thread's messages
(what the conversation is about) and the fewer its other words. The problem as first
stated and where things stand in the newest message always lead and close it; the best
sentences of the messages between fill up to SENTENCES."""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from supportdesk.text import content_words

# Messages (the description included) from which a thread gets a summary: shorter ones
# are read at a glance.
SUMMARY_FROM = 5
SENTENCES = 4
MAX_SENTENCE_CHARS = 240
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# "Hi Ann," says nothing of the case; the sentence after it may. Sign-offs ("Best, Maya")
# have too few words of substance to be chosen anyway.
_GREETING = re.compile(r"^(hi|hello|hey|dear)\b[^,.!?]{0,40}[,.!?]\s*", re.IGNORECASE)


class Said(Protocol):
    """A message as the summary reads it (a ThreadEntry)."""

    @property
    def kind(self) -> str: ...

    @property
    def body(self) -> str: ...

    @property
    def author_name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class _Sentence:
    message: int  # its message's place in the thread
    text: str
    words: frozenset[str]


def _sentences(index: int, body: str) -> list[_Sentence]:
    found = []
    for raw in _SENTENCE_END.split(body):
        text = _GREETING.sub("", " ".join(raw.split()))
        words = frozenset(content_words(text))
        if len(words) >= 2:
            found.append(_Sentence(index, _clipped(text), words))
    return found


def _clipped(text: str) -> str:
    if len(text) <= MAX_SENTENCE_CHARS:
        return text
    return text[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0] + "…"


def _role(message: Said) -> str:
    return {"customer": "", "reply": " (reply)", "note": " (internal note)"}.get(message.kind, "")


def extractive_summary(messages: Sequence[Said]) -> str | None:
    """One paragraph for a thread of SUMMARY_FROM messages or more; None for a shorter one,
    or one with nothing but courtesies."""
    if len(messages) < SUMMARY_FROM:
        return None
    per_message = [_sentences(i, m.body) for i, m in enumerate(messages)]
    # In how many messages each word appears: the thread's recurring subject.
    recurring = Counter(w for found in per_message for w in set().union(*(s.words for s in found)))

    def weight(sentence: _Sentence) -> float:
        return sum(recurring[w] - 1 for w in sentence.words) / math.sqrt(len(sentence.words))

    best = [max(found, key=weight) for found in per_message if found]
    if not best:
        return None
    first, *middle = best
    last = middle.pop() if middle else None
    room = SENTENCES - 1 - (last is not None)
    chosen = [first, *sorted(sorted(middle, key=weight, reverse=True)[:room], key=_at)]
    if last is not None:
        chosen.append(last)
    return " ".join(
        f"{messages[s.message].author_name}{_role(messages[s.message])}: “{s.text}”" for s in chosen
    )


def _at(sentence: _Sentence) -> int:
    return sentence.message
