import re

import pytest

from supportdesk.tickets.search import (
    SEARCH_PATTERN,
    parse,
    searchable,
    to_fts5,
    to_fts5_any,
    to_tsquery,
)


def test_plain_words_are_anded_and_the_last_is_a_prefix() -> None:
    query = parse("refund char")
    assert query is not None
    assert to_fts5(query) == '("refund" AND "char"*)'
    assert to_tsquery(query) == "(('refund') & ('char':*))"


def test_trailing_space_ends_the_prefix() -> None:
    query = parse("refund ")
    assert query is not None and to_fts5(query) == '("refund")'


def test_phrases_exclusions_and_or() -> None:
    query = parse('"charged twice" -paypal OR refund ')
    assert query is not None
    assert to_fts5(query) == '(("charged twice") NOT "paypal") OR ("refund")'
    assert to_tsquery(query) == "(('charged' <-> 'twice') & !('paypal')) | (('refund'))"


def test_exclusions_alone_are_a_group_of_their_own() -> None:
    query = parse("-paypal -refund")
    assert query is not None
    assert to_tsquery(query) == "(!('paypal') & !('refund'))"
    finding, excluding_only = query.split()
    assert finding.groups == ()
    assert [to_fts5_any(group) for group in excluding_only] == ['"paypal" OR "refund"']


def test_nothing_searchable_gives_no_query() -> None:
    assert parse("   ") is None
    assert parse("- -") is None
    assert parse('"" ()') is None
    assert parse("' ''") is None  # apostrophes alone are punctuation


def test_or_with_nothing_to_join_is_a_word() -> None:
    query = parse("- OR -")
    assert query is not None and to_fts5(query) == '("or")'
    query = parse("OR")
    assert query is not None and to_fts5(query) == '("or"*)'
    query = parse("refund OR ")  # something to join: still the operator
    assert query is not None and to_fts5(query) == '("refund")'


@pytest.mark.parametrize(
    "text",
    ["", "  \n", "\x1c", "refund", "OR", "#299", "٣", "é", "_", "🙂", "?!", "- -", '"" ()', "\x00"],
)
def test_the_documented_pattern_is_the_rule(text: str) -> None:
    documented = re.search(SEARCH_PATTERN, text) is not None
    assert documented == (not text.strip() or searchable(text)), text


def test_apostrophes_stay_inside_words_only() -> None:
    query = parse("'don't' o'brien'")
    assert query is not None
    assert [t.words for t in query.groups[0]] == [("don't",), ("o'brien",)]
