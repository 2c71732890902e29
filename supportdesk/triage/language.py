"""A cheap check that a text is English: the model was trained on English only."""

import re

WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
COMMON = frozenset(
    "the a an and or but is are was were be been i you we my our your it this that to of in on "
    "for with at from not no can can't cannot do does did have has had please help me us they "
    "when what how why where will would could should there here just all any some".split()
)


def looks_english(text: str) -> bool:
    words = WORDS.findall(text.lower())
    if not words:
        return False
    latin = sum(1 for w in words if w.isascii())
    if latin / len(words) < 0.7:
        return False
    if len(words) < 6:
        return True  # too short to judge by function words: "refund pls"
    return sum(1 for w in words if w in COMMON) / len(words) >= 0.08
