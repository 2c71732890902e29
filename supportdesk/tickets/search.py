"""Turn what a user types into a full-text query for PostgreSQL or SQLite FTS5.

Supports web-search syntax ("quoted phrase", -exclude, OR) and treats the last word as a
prefix while it is still being typed, so "refu" already finds "refund".
"""

import re
from dataclasses import dataclass

# What an agent types to look up a ticket by its number: "299" or "#299".
TICKET_NUMBER = re.compile(r"#?(\d{1,18})")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Apostrophes only inside a word ("don't"): alone they are punctuation, which matches nothing.
WORD = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
# A code: an order number, invoice id or version ("ord-44718", "inv/2024/07", "v2.3"). On
# PostgreSQL codes have their own index (0024, which extracts them with this pattern).
CODE = re.compile(r"[a-z0-9]+(?:[-_./#][a-z0-9]+)+")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False
    # As typed, punctuation kept ("ord-4471", "jane.doe@"): what a trigram index looks for.
    fragment: str = ""

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def code(self) -> bool:
        """Typed as a code is written, digits and all: looked up from its start."""
        return CODE.fullmatch(self.fragment) is not None and any(c.isdigit() for c in self.fragment)


@dataclass(frozen=True)
class SearchQuery:
    """Groups are OR-ed; terms inside a group are AND-ed. A group of exclusions only
    ("-refund") matches what has none of its words."""

    groups: tuple[tuple[Term, ...], ...]

    def split(self) -> tuple["SearchQuery", list[tuple[Term, ...]]]:
        """(the groups with a word to find, the groups of exclusions only): FTS5 can match
        only the first kind; the second is "not in what matches any of these words"."""
        finding = tuple(g for g in self.groups if any(not t.negated for t in g))
        return SearchQuery(finding), [g for g in self.groups if g not in finding]


def parse(text: str) -> SearchQuery | None:
    # OR joins the terms around it; with none to join, it is the word typed (on the way to
    # "ORD-4471", say), so that every search with a letter or digit searches.
    return _parse(text, operators=True) or _parse(text, operators=False)


def _parse(text: str, *, operators: bool) -> SearchQuery | None:
    groups: list[list[Term]] = [[]]
    still_typing = bool(text) and not text[-1].isspace() and not text.rstrip().endswith('"')
    matches = list(TOKEN.finditer(text))
    for index, match in enumerate(matches):
        negated_phrase, phrase, bare = match.groups()
        if operators and bare is not None and bare == "OR":
            groups.append([])
            continue
        negated = bool(negated_phrase) or (bare is not None and bare.startswith("-"))
        words = tuple(w.lower() for w in WORD.findall(phrase if bare is None else bare))
        if not words:
            continue
        prefix = bare is not None and not negated and still_typing and index == len(matches) - 1
        fragment = (phrase if bare is None else bare.removeprefix("-")).strip().lower()
        groups[-1].append(Term(words, negated, prefix, fragment))
    kept = tuple(tuple(g) for g in groups if g)
    return SearchQuery(kept) if kept else None


def ticket_number(text: str) -> int | None:
    """The ticket id a search names, if it is nothing but a number ("299", "#299")."""
    match = TICKET_NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


SEARCH_NEEDS_WORDS = "type a word, a phrase or a ticket number: symbols alone match nothing"
# The rule `searchable` follows, as the schema states it: blank (no search), or a letter,
# digit or underscore somewhere (`WORD` then finds a word). `\w` is read as Python reads
# it, every script's letters and digits (an ECMA-262 reader takes ASCII ones only, so a
# client checking with it refuses a little more than the server does).
SEARCH_PATTERN = r"^\s*$|\w"


def searchable(text: str) -> bool:
    """Whether the text has anything to search for: a search made only of emoji or
    punctuation would otherwise be dropped silently while the box still shows it."""
    return parse(text) is not None or ticket_number(text) is not None


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_fts5(query: SearchQuery, *, fragments: bool = False) -> str:
    """FTS5 MATCH syntax: AND/OR/NOT with quoted words so user text is never syntax; with
    `fragments`, each term as typed, for the trigram table (which matches substrings)."""

    def quoted(term: Term) -> str:
        return _quote(term.fragment if fragments else " ".join(term.words))

    groups = []
    for group in query.groups:
        positive = [t for t in group if not t.negated]
        clause = " AND ".join(
            quoted(t) + "*" if t.prefix and not fragments else quoted(t) for t in positive
        )
        for term in group:
            if term.negated:
                clause = f"({clause}) NOT {quoted(term)}"
        groups.append(f"({clause})")
    return " OR ".join(groups)


def to_fts5_any(terms: tuple[Term, ...]) -> str:
    """FTS5 MATCH syntax for "any of these terms' words or phrases"."""
    return " OR ".join(_quote(" ".join(term.words)) for term in terms)


def _ts_term(term: Term) -> str:
    # Words are \w-only, so they cannot carry tsquery syntax; quoting keeps them literal.
    lexemes = [f"'{w.replace(chr(39), chr(39) * 2)}'" for w in term.words]
    body = " <-> ".join(lexemes)
    if term.prefix:
        body += ":*"
    return f"!({body})" if term.negated else f"({body})"


def to_tsquery(query: SearchQuery) -> str:
    """to_tsquery('english', ...) syntax; stemming happens inside PostgreSQL."""
    return " | ".join(
        "(" + " & ".join(_ts_term(term) for term in group) + ")" for group in query.groups
    )
