"""Answers kept as sent, by version, within a size."""

from supportdesk.kept import ENTRY_BYTES, KeptAnswers


def test_kept_answers_let_the_least_recently_sent_go_past_their_size() -> None:
    pages: KeptAnswers[int, tuple[tuple[int, int, int], ...]] = KeptAnswers(
        max_bytes=2 * ENTRY_BYTES + 10
    )
    pages.put(1, ((1, 5, 1),), b"aaaa")
    pages.put(2, ((2, 5, 1),), b"bbbb")
    assert pages.get(1, ((1, 5, 1),)) == b"aaaa"  # now the most recent
    pages.put(3, ((3, 5, 1),), b"cccc")
    assert pages.get(2, ((2, 5, 1),)) is None
    assert pages.get(1, ((1, 5, 1),)) == b"aaaa"
    assert pages.get(1, ((1, 6, 1),)) is None  # another version
    pages.put(4, ((4, 1, 1),), b"x" * (ENTRY_BYTES + 11))  # larger than all: never kept
    assert pages.get(4, ((4, 1, 1),)) is None
    assert pages.get(3, ((3, 5, 1),)) == b"cccc"
