"""Facts in a ticket's text: order and invoice ids, error codes, emails, phones, amounts,
links, dates, plan and product names, versions. Pure functions, no I/O, no model.

Every extractor proposes spans; where two proposals overlap, the more specific kind wins
(an order id over a date, a date over a phone number), so "ORD-2024-0115" is one order
id and "2024-01-15" one date. Values are reported once each, in a stable order.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from supportdesk.taxonomy import Category
from supportdesk.workflow.extraction.amounts import find_amounts
from supportdesk.workflow.extraction.contacts import find_emails, find_phones, find_urls
from supportdesk.workflow.extraction.dates import find_dates
from supportdesk.workflow.extraction.facts import Fact, Found, spoken

# The order facts are listed in (and drafts cite them in).
FACT_NAMES = (
    "order_id",
    "invoice_id",
    "amount",
    "date",
    "error_code",
    "email",
    "phone",
    "url",
    "plan",
    "product",
    "version",
)

PREFIXED_ORDER = re.compile(
    r"(?<![\w-])(?:ORD|ORDER|PO|SO|(?i:ord))[-_#]?(?=[A-Z0-9-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)*\b"
)
ORDER_WORDS = re.compile(
    r"\border\s*(?:(?P<marker>#|no\.?|number|num\.?|id|ref(?:erence)?)\s*)?[:#]?\s*"
    r"(?:is\s+|was\s+)?#?(?P<id>[A-Za-z0-9][A-Za-z0-9-]{2,})\b",
    re.IGNORECASE,
)
PREFIXED_INVOICE = re.compile(
    r"(?<![\w-])(?:INV|(?i:inv))[-_#]?(?=[A-Z0-9-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)*\b"
)
INVOICE_WORDS = re.compile(
    r"\binvoice\s*(?:(?P<marker>#|no\.?|number|num\.?|id)\s*)?[:#]?\s*"
    r"(?:is\s+|was\s+)?#?(?P<id>[A-Za-z0-9][A-Za-z0-9-]{2,})\b",
    re.IGNORECASE,
)
DATE_SHAPED = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}-\d{1,2}-\d{2,4}$")

ERROR_PREFIXED = re.compile(r"\bERR(?:OR)?[-_](?:[A-Z0-9]+[-_])*[A-Z0-9]+\b|\bERR\d+\b")
ERROR_WORDS = re.compile(
    r"\b(?:error|err|fault|exit|failure)\s*(?:code|number|no\.?|#)?\s*[:#]?\s*"
    r"(?P<code>(?:[A-Z]{1,6}[-_]?)?\d{2,}[A-Z0-9-]*)\b",
    re.IGNORECASE,
)
HTTP_STATUS = re.compile(
    r"\b(?:HTTP(?:/\d(?:\.\d)?)?|status(?:\s+code)?|response(?:\s+code)?)\s*[:#]?\s*(?P<code>[1-5]\d\d)\b"
    r"|\b(?P<code2>[45]\d\d)\s+(?:error|(?i:internal server error|bad gateway|service unavailable"
    r"|not found|forbidden|unauthori[sz]ed|gateway time-?out|too many requests|bad request))\b",
    re.IGNORECASE,
)
HEX_CODE = re.compile(r"\b0x[0-9A-Fa-f]{4,16}\b")
ERRNO = re.compile(
    r"\bE(?:CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|NOTFOUND|NOENT|ACCES|PERM|ADDRINUSE"
    r"|HOSTUNREACH|NETUNREACH|PIPE|AI_AGAIN|NOSPC|MFILE)\b"
)
EXCEPTION_NAME = re.compile(r"\b(?:[A-Z][a-z0-9]+)+(?:Exception|Error)\b")

VERSION = re.compile(
    r"\b(?:version|ver\.?|release|build|v)\s?(?P<version>\d+(?:\.\d+){1,3}(?:-[0-9A-Za-z.]+)?)\b",
    re.IGNORECASE,
)
PLATFORM_VERSION = re.compile(
    r"\b(?:iOS|iPadOS|macOS|Android|Windows|Chrome|Firefox|Safari|Edge|Ubuntu|Python|Node)"
    r"\s?\d+(?:\.\d+)*\b"
)
IP_ADDRESS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")

NAME_WORD = r"(?:[A-Z]|i[A-Z])[\w+.-]*"
PLAN = re.compile(
    rf"\b(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)\s+"
    r"(?P<kind>(?i:plan|subscription|tier|edition|package|license|licence))\b"
)
PRODUCT = re.compile(
    rf"\b(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)\s+"
    r"(?P<kind>(?i:app|integration|plugin|plug-in|add-on|addon|extension|connector)|SDK|API|CLI)\b"
)
# Capitalised words that open a sentence or describe a plan without naming it.
NOT_NAMES = frozenset(
    """a an the my our your their his her its this that these those which what any every each
    some no new old current same other another monthly annual yearly paid basic
    upgrade upgraded downgrade downgraded cancel cancelled canceled renew renewed change
    changed switch switched buy bought purchase purchased charged using use i we you
    please hi hello hey dear mobile web desktop they he she it who""".split()
)


def _found(name: str, pattern: re.Pattern[str], text: str, confidence: float) -> Iterator[Found]:
    for match in pattern.finditer(text):
        raw = match.group(0)
        yield Found(
            Fact(name, raw.upper() if name != "error_code" else raw, confidence, raw=raw),
            *match.span(),
        )


def _ids_after_word(name: str, pattern: re.Pattern[str], text: str) -> Iterator[Found]:
    """ "order #12345", "invoice number 2024-0012": the word says what the token is."""
    for match in pattern.finditer(text):
        token = match["id"]
        explicit = match["marker"] is not None or "#" in match.group(0)
        if not any(ch.isdigit() for ch in token):
            continue
        if DATE_SHAPED.match(token) and not explicit:
            continue  # "order 2024-01-15" is an order *on* a date, not an id
        if not explicit and len(token) < 5 and token.isdigit():
            continue  # "order 100 units" counts, it does not name an order
        confidence = 0.95 if explicit else 0.8
        fact = Fact(name, token.upper(), confidence, raw=match.group(0))
        yield Found(fact, match.start("id"), match.end("id"))


def _error_codes(text: str) -> Iterator[Found]:
    yield from _found("error_code", ERROR_PREFIXED, text, 1.0)
    for match in HTTP_STATUS.finditer(text):
        group = "code" if match["code"] else "code2"
        raw = match.group(0)
        yield Found(Fact("error_code", f"HTTP {match[group]}", 0.9, raw=raw), *match.span())
    for match in ERROR_WORDS.finditer(text):
        code = match["code"]
        if DATE_SHAPED.match(code):
            continue
        if code.isdigit() and len(code) == 3 and code[0] in "45":
            value, confidence = f"HTTP {code}", 0.85
        else:
            value, confidence = code.upper(), 0.9
        yield Found(Fact("error_code", value, confidence, raw=match.group(0)), *match.span("code"))
    for match in HEX_CODE.finditer(text):
        value = "0x" + match.group(0)[2:].upper()
        yield Found(Fact("error_code", value, 0.8, raw=match.group(0)), *match.span())
    yield from _found("error_code", ERRNO, text, 0.9)
    yield from _found("error_code", EXCEPTION_NAME, text, 0.8)


def _versions(text: str) -> Iterator[Found]:
    for match in VERSION.finditer(text):
        fact = Fact("version", match["version"], 0.85, raw=match.group(0))
        yield Found(fact, *match.span())
    for match in PLATFORM_VERSION.finditer(text):
        yield Found(None, *match.span())
    for match in IP_ADDRESS.finditer(text):
        yield Found(None, *match.span())


def _names(name: str, pattern: re.Pattern[str], text: str, confidence: float) -> Iterator[Found]:
    for match in pattern.finditer(text):
        words = match["name"].split()
        while words and words[0].lower() in NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        label = " ".join(words)
        value = label if name == "plan" else f"{label} {match['kind']}"
        start = match.start("name") + match["name"].index(words[0])
        yield Found(
            Fact(name, value, confidence, raw=text[start : match.end()]), start, match.end()
        )


def _proposals(
    text: str, today: date | None, phone_region: str | None, day_first: bool, kept: list[Found]
) -> Iterator[Iterable[Found]]:
    """In precedence order: earlier kinds win overlaps. Each kind is read after the earlier
    ones were resolved into `kept`, so a slow reader can skip spans already taken."""

    def taken(start: int, end: int) -> bool:
        return any(start < other.end and other.start < end for other in kept)

    yield find_urls(text)
    yield find_emails(text)
    yield _found("order_id", PREFIXED_ORDER, text, 1.0)
    yield _found("invoice_id", PREFIXED_INVOICE, text, 1.0)
    yield _error_codes(text)
    yield _ids_after_word("order_id", ORDER_WORDS, text)
    yield _ids_after_word("invoice_id", INVOICE_WORDS, text)
    yield _versions(text)
    yield find_dates(text, today=today, day_first=day_first)
    yield find_amounts(text)
    yield find_phones(text, phone_region, taken)
    yield _names("plan", PLAN, text, 0.85)
    yield _names("product", PRODUCT, text, 0.7)


def extract_facts(
    text: str,
    *,
    today: date | None = None,
    phone_region: str | None = "US",
    day_first: bool = False,
) -> list[Fact]:
    """Every fact in `text`, each value once, grouped by name in FACT_NAMES order.

    `today` (the ticket's date) completes dates written without a year; `phone_region`
    reads numbers written without a country code; `day_first` reads 03/04/2024 as 3 April.
    """
    kept: list[Found] = []
    for proposals in _proposals(text, today, phone_region, day_first, kept):
        # Within one kind the longer reading wins ("15 January 2024" over "January 2024").
        for found in sorted(proposals, key=lambda f: (f.start - f.end, f.start)):
            if not any(found.overlaps(other) for other in kept):
                kept.append(found)
    seen: set[tuple[str, str]] = set()
    facts: list[Fact] = []
    order = {name: index for index, name in enumerate(FACT_NAMES)}
    for found in sorted(kept, key=lambda f: f.start):
        fact = found.fact
        if fact is None or (fact.name, fact.value) in seen:
            continue
        seen.add((fact.name, fact.value))
        facts.append(fact)
    return sorted(facts, key=lambda f: order[f.name])


# What an agent needs first for each category, as "any one of these" groups.
REQUIRED: dict[Category, tuple[tuple[str, ...], ...]] = {
    Category.BILLING: (("order_id", "invoice_id", "amount"),),
    Category.ACCOUNT: (("email",),),
    Category.TECHNICAL: (),
    Category.GENERAL: (),
}


def missing_facts(
    category: Category, facts: Sequence[Fact], *, contact_email: str | None = None
) -> list[str]:
    """The first name of each required group with no valid fact (e.g. ["order_id"])."""
    have = {f.name for f in facts if f.valid}
    if contact_email:
        have.add("email")
    return [group[0] for group in REQUIRED[category] if not have.intersection(group)]


def validation_errors(facts: Sequence[Fact]) -> list[str]:
    """Each invalid value and why, as a person says it ('Phone number "+1 555": ...')."""
    return [f'{spoken(f.name).capitalize()} "{f.raw}": {f.reason}' for f in facts if not f.valid]
