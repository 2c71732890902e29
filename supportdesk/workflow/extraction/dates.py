"""Dates written in tickets: ISO, numeric day/month orders and month names, as ISO dates.

A date that cannot exist ("February 30", "2024-13-01") is reported invalid with the
reason; a missing year is taken from the ticket's own date when one is given, and said so.
"""

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta

from supportdesk.workflow.extraction.facts import Fact, Found

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}
MONTH_NUMBER = MONTHS | ABBREVIATIONS
# "may" is a verb far more often than a month: only "May" with a capital counts.
MONTH = (
    r"(?P<month>(?i:january|february|march|april|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?|May)"
)
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>\d{4})"
EDGE_BEFORE = r"(?<![\w./:-])"
EDGE_AFTER = r"(?![\w/:-]|[.,]\d)"

# ISO dates may carry a time ("2024-01-15T10:30Z"); only the date is kept.
ISO = re.compile(
    rf"{EDGE_BEFORE}{YEAR}(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})"
    rf"(?=T\d|{EDGE_AFTER})"
)
NUMERIC = re.compile(
    rf"{EDGE_BEFORE}(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})"
    rf"{EDGE_AFTER}"
)
MONTH_FIRST = re.compile(rf"\b{MONTH}\s+{DAY}(?:,?\s+{YEAR})?(?![\w:]|[.,]\d)")
DAY_FIRST = re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH},?(?:\s+{YEAR})?(?![\w:]|[.,]\d)")
MONTH_YEAR = re.compile(rf"\b{MONTH},?\s+{YEAR}\b")

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# A yearless date more than this far after the ticket is taken to be last year's.
FUTURE_SLACK = timedelta(days=60)


def _problem(year: int | None, month: int, day: int) -> str | None:
    """Why this calendar date cannot exist, or None when it can."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return f"the year {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}"
    name = calendar.month_name[month]
    if day < 1:
        return "there is no day 0"
    if month == 2 and day == 29 and year is not None and not calendar.isleap(year):
        return f"{year} is not a leap year, so February has 28 days"
    longest = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if day > longest:
        return f"{name} has {longest} days"
    return None


def _fact(
    raw: str,
    year: int | None,
    month: int,
    day: int,
    today: date | None,
    confidence: float,
    note: str | None = None,
) -> Fact:
    problem = _problem(year, month, day)
    if problem is not None:
        return Fact("date", raw, 0.9, valid=False, reason=problem, raw=raw)
    if year is not None:
        return Fact("date", date(year, month, day).isoformat(), confidence, reason=note, raw=raw)
    if today is None:
        return Fact("date", f"--{month:02d}-{day:02d}", 0.6, reason="no year written", raw=raw)
    assumed = today.year
    if month == 2 and day == 29:
        while not calendar.isleap(assumed):
            assumed -= 1
    if date(assumed, month, day) > today + FUTURE_SLACK:
        assumed -= 1
        while month == 2 and day == 29 and not calendar.isleap(assumed):
            assumed -= 1
    reason = f"no year written; {assumed} assumed from the ticket's date"
    return Fact("date", date(assumed, month, day).isoformat(), 0.75, reason=reason, raw=raw)


def _two_digit_year(text: str) -> int:
    year = int(text)
    if len(text) == 4:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _numeric(match: re.Match[str], day_first: bool, today: date | None) -> Fact | None:
    raw = match.group(0)
    first, second = int(match["a"]), int(match["b"])
    separator = match["sep"]
    year = _two_digit_year(match["y"])
    if separator in ".-" and len(match["y"]) == 2:
        return None  # "1.2.24" and "10-12-24" are more often versions or ranges than dates
    if first > 12 and second > 12:
        if separator == ".":
            return None  # likely a version number, not a broken date
        return Fact(
            "date",
            raw,
            0.7,
            valid=False,
            reason=f"neither {first} nor {second} is a month",
            raw=raw,
        )
    if first > 12:
        return _fact(raw, year, second, first, today, 0.95)
    if second > 12:
        return _fact(raw, year, first, second, today, 0.95)
    if first == second:
        return _fact(raw, year, first, second, today, 0.95)
    # Dots are a day-first (European) habit; slashes follow the configured order.
    if separator == "." or day_first:
        order, day, month = "day/month", first, second
    else:
        order, day, month = "month/day", second, first
    note = f"day and month could be swapped; read as {order}"
    fact = _fact(raw, year, month, day, today, 0.6, note)
    if not fact.valid and separator == ".":
        return None
    return fact


def _month(name: str) -> int:
    return MONTH_NUMBER[name.rstrip(".").lower()]


def find_dates(text: str, *, today: date | None = None, day_first: bool = False) -> Iterator[Found]:
    """Every date written in `text`, in the order the patterns are tried (callers resolve
    overlaps by position)."""
    for match in ISO.finditer(text):
        year, month, day = int(match[1]), int(match["m"]), int(match["d"])
        if match["sep"] == "." and _problem(year, month, day):
            continue  # "2024.13.1" reads as a version number more than as a date
        yield Found(_fact(match.group(0), year, month, day, today, 1.0), *match.span())
    for match in NUMERIC.finditer(text):
        fact = _numeric(match, day_first, today)
        if fact is not None:
            yield Found(fact, *match.span())
    for pattern in (MONTH_FIRST, DAY_FIRST):
        for match in pattern.finditer(text):
            written = int(match["year"]) if match["year"] else None
            month, day = _month(match["month"]), int(match["day"])
            fact = _fact(match.group(0), written, month, day, today, 0.95)
            yield Found(fact, *match.span())
    for match in MONTH_YEAR.finditer(text):
        year, month = int(match["year"]), _month(match["month"])
        raw = match.group(0)
        if EARLIEST_YEAR <= year <= LATEST_YEAR:
            yield Found(Fact("date", f"{year}-{month:02d}", 0.85, raw=raw), *match.span())
