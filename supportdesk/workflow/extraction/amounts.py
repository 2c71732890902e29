"""Money written in tickets: "$12.50", "€1.200,00", "30 EUR", "£5", "USD 1,200".

Only a number tied to a currency symbol, code or word is an amount, so version numbers
("v2.50"), percentages and counts are never read as money. Both separator conventions
are understood; digit groups that fit neither are reported invalid, not guessed.
"""

import re
from collections.abc import Iterator
from decimal import Decimal

from supportdesk.workflow.extraction.facts import Fact, Found

SYMBOLS = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
}
# A bare "$" is most often US dollars, but not always: it is read as USD, less surely.
SYMBOL_CONFIDENCE = {"$": 0.85, "¥": 0.8}
CODES = (
    "USD EUR GBP JPY CAD AUD CHF SEK NOK DKK PLN CZK HUF INR BRL MXN CNY NZD SGD HKD ZAR"
).split()
WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR"}
NO_DECIMALS = {"JPY", "HUF"}

NUMBER = r"(?P<number>\d(?:[\d.,]*\d)?)(?P<scale>[kKmM]\b)?"
SYMBOL = "|".join(re.escape(s) for s in SYMBOLS)
CODE = "|".join(CODES)
BEFORE = r"(?<![\w.,])"
AFTER = r"(?![\w]|[.,]\d)"
PATTERNS = (
    re.compile(rf"(?P<sign>-)?(?P<symbol>{SYMBOL})\s?{NUMBER}{AFTER}"),
    re.compile(rf"{BEFORE}{NUMBER}\s?(?P<symbol>€|£|\$){AFTER}"),
    re.compile(rf"\b(?P<code>{CODE})\s?{NUMBER}{AFTER}"),
    re.compile(rf"{BEFORE}{NUMBER}\s?(?P<code>(?i:{CODE}))\b"),
    re.compile(rf"{BEFORE}{NUMBER}\s(?P<word>(?i:dollars?|euros?))\b"),
)
SCALES = {"k": Decimal(1000), "m": Decimal(1_000_000)}
# Past any sum a support ticket is about, and past what a Decimal rounds to cents (28 digits).
LARGEST_AMOUNT = Decimal(10) ** 15


def _groups_ok(integer: str, separator: str, currency: str) -> bool:
    groups = integer.split(separator)
    if not 1 <= len(groups[0]) <= 3:
        return False
    if currency == "INR" and separator == ",":
        # Indian grouping: 1,00,000 (twos after the last three).
        return all(len(g) == 2 for g in groups[1:-1]) and len(groups[-1]) == 3
    return all(len(g) == 3 for g in groups[1:])


def parse_number(text: str, currency: str) -> tuple[Decimal | None, str | None]:
    """(value, None), or (None, reason) when the digit groups fit no convention."""
    commas, dots = text.count(","), text.count(".")
    if not commas and not dots:
        return Decimal(text), None
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        integer, _, fraction = text.rpartition(decimal_mark)
        if thousands in fraction or not 1 <= len(fraction) <= 2:
            return None, "the decimal part is not one or two digits"
        if not _groups_ok(integer, thousands, currency):
            return None, "the digit groups do not fit a thousands separator"
        return Decimal(integer.replace(thousands, "") + "." + fraction), None
    mark = "," if commas else "."
    if text.count(mark) > 1:
        if not _groups_ok(text, mark, currency):
            return None, "the digit groups do not fit a thousands separator"
        return Decimal(text.replace(mark, "")), None
    integer, _, fraction = text.partition(mark)
    if len(fraction) == 3 and _groups_ok(text, mark, currency):
        return Decimal(integer + fraction), None  # "1,200" and "1.200": a thousands mark
    if 1 <= len(fraction) <= 2:
        return Decimal(integer + "." + fraction), None
    return None, f"{len(fraction)} digits after the decimal mark"


def format_amount(value: Decimal, currency: str) -> str:
    places = Decimal(1) if currency in NO_DECIMALS else Decimal("0.01")
    return f"{value.quantize(places)} {currency}"


def _currency(match: re.Match[str]) -> tuple[str, float]:
    groups = match.groupdict()
    if groups.get("symbol"):
        symbol = groups["symbol"]
        return SYMBOLS[symbol], SYMBOL_CONFIDENCE.get(symbol, 0.95)
    if groups.get("code"):
        return groups["code"].upper(), 1.0
    return WORDS[groups["word"].lower()], 0.8


def find_amounts(text: str) -> Iterator[Found]:
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            raw = match.group(0).strip()
            currency, confidence = _currency(match)
            value, problem = parse_number(match["number"], currency)
            if value is not None and (scale := match["scale"]):
                value *= SCALES[scale.lower()]
                confidence = min(confidence, 0.8)
            if value is not None and abs(value) >= LARGEST_AMOUNT:
                value, problem = None, "too large to be an amount"
            if value is None:
                yield Found(
                    Fact("amount", raw, 0.7, valid=False, reason=problem, raw=raw), *match.span()
                )
                continue
            if match.groupdict().get("sign"):
                value = -value
            fact = Fact("amount", format_amount(value, currency), confidence, raw=raw)
            yield Found(fact, *match.span())
