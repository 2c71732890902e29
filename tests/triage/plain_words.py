"""What "said in an agent's words" means for reasons shown to people: no cue codes
("payments_failing"), no "key: value" internals ("impact: ..."), no talk of the model."""

import re

INTERNALS = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b(impact|low-impact|blocked|workaround):|example bank|embedding|"
    r"\bheads?\b|strongest cues",
    re.IGNORECASE,
)


def assert_plain_words(reasons: list[str]) -> None:
    for reason in reasons:
        assert not INTERNALS.search(reason), reason
        assert reason[:1].isupper(), reason
