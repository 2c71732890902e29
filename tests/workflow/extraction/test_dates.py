"""Dates: explicit formats and month names to ISO; impossible dates reported, not fixed."""

from datetime import date

import pytest

from supportdesk.workflow.extraction.extract import extract_facts
from supportdesk.workflow.extraction.facts import Fact

TODAY = date(2025, 3, 10)


def dates(text: str, today: date | None = TODAY, day_first: bool = False) -> list[Fact]:
    facts = extract_facts(text, today=today, day_first=day_first)
    return [f for f in facts if f.name == "date"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("It was supposed to arrive on 2024-01-15.", "2024-01-15"),
        ("logged at 2024-01-15T10:32:00Z", "2024-01-15"),
        ("since 2024/02/29", "2024-02-29"),
        ("charged on January 15, 2024", "2024-01-15"),
        ("charged on Jan 15 2024", "2024-01-15"),
        ("charged on Jan. 5th, 2024", "2024-01-05"),
        ("renewed on 15 January 2024", "2024-01-15"),
        ("renewed on the 3rd of May 2024", "2024-05-03"),
        ("Sept 9, 2024 was the last sync", "2024-09-09"),
        ("paid on 12/25/2024", "2024-12-25"),
        ("paid on 25/12/2024", "2024-12-25"),
        ("paid on 25.12.2024", "2024-12-25"),
        ("paid on 12/25/24", "2024-12-25"),
    ],
)
def test_explicit_dates_become_iso(text: str, iso: str) -> None:
    found = dates(text)
    assert [f.value for f in found] == [iso]
    assert found[0].valid and found[0].confidence >= 0.9


def test_month_and_year_alone_is_a_month() -> None:
    assert [f.value for f in dates("broken since March 2024")] == ["2024-03"]


def test_a_missing_year_is_assumed_from_the_ticket_date_and_said() -> None:
    (fact,) = dates("charged on January 15th")
    assert fact.value == "2025-01-15"
    assert fact.reason is not None and "2025 assumed" in fact.reason
    assert fact.confidence < 0.9
    # Months well after the ticket's date were last year's.
    assert [f.value for f in dates("renewal on December 1")] == ["2024-12-01"]
    # Soon after is this year's (an upcoming renewal).
    assert [f.value for f in dates("renewal on April 2")] == ["2025-04-02"]


def test_without_a_ticket_date_the_year_stays_unknown() -> None:
    (fact,) = dates("charged on January 15th", today=None)
    assert fact.value == "--01-15"
    assert fact.reason == "no year written"


def test_ambiguous_day_month_is_read_one_way_and_flagged() -> None:
    (us,) = dates("paid on 03/04/2024")
    assert us.value == "2024-03-04" and us.confidence < 0.9
    assert us.reason is not None and "month/day" in us.reason
    (eu,) = dates("paid on 03/04/2024", day_first=True)
    assert eu.value == "2024-04-03"
    (dots,) = dates("bezahlt am 03.04.2024")
    assert dots.value == "2024-04-03"  # dots are written day first


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("due on February 30, 2024", "February has 29 days"),
        ("due on 2023-02-29", "2023 is not a leap year, so February has 28 days"),
        ("due on Feb 29 2023", "2023 is not a leap year, so February has 28 days"),
        ("due on 2024-13-01", "there is no month 13"),
        ("due on 31/04/2024", "April has 30 days"),
        ("due on April 31st", "April has 30 days"),
        ("due on 13/25/2024", "neither 13 nor 25 is a month"),
        ("due on 2024-00-10", "there is no month 0"),
        ("due on 2024-05-00", "there is no day 0"),
        ("due on Jan 15, 3024", "the year 3024 is outside 1900-2100"),
    ],
)
def test_impossible_dates_are_reported_invalid_as_written(text: str, reason: str) -> None:
    (fact,) = dates(text)
    assert not fact.valid
    assert fact.reason == reason
    assert fact.value == fact.raw  # never "corrected" into another date
    assert fact.value in text


@pytest.mark.parametrize(
    "text",
    [
        "you may 2 times try again",  # "may" the verb
        "version 1.2.3 broke it",
        "ratio 1/2 of the users",
        "at 10:30 this morning",
        "build 2024.13.1 is bad",  # a version, not a broken date
        "tracking 10.15.2023.4 shows",
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert dates(text) == []


def test_several_dates_and_no_double_reading() -> None:
    found = dates("Charged on 15 January 2024 and again on January 20th, 2024.")
    assert [f.value for f in found] == ["2024-01-15", "2024-01-20"]


def test_february_29_without_a_year_uses_the_last_leap_year() -> None:
    (fact,) = dates("since Feb 29")
    assert fact.value == "2024-02-29"
