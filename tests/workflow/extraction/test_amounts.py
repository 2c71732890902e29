"""Money: symbols, codes and both separator conventions; numbers without currency are not
amounts; digit groups that fit no convention are reported invalid."""

from decimal import Decimal

import pytest

from supportdesk.workflow.extraction.amounts import parse_number
from supportdesk.workflow.extraction.extract import extract_facts
from supportdesk.workflow.extraction.facts import Fact


def amounts(text: str) -> list[Fact]:
    return [f for f in extract_facts(text) if f.name == "amount"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I was charged $12.50 today", "12.50 USD"),
        ("I was charged $ 12.50 today", "12.50 USD"),
        ("a charge of $1,200.00 appeared", "1200.00 USD"),
        ("a charge of $1,200 appeared", "1200.00 USD"),
        ("Rechnung über €1.200,00", "1200.00 EUR"),
        ("Rechnung über 1.200,00 €", "1200.00 EUR"),
        ("bitte 30 EUR gutschreiben", "30.00 EUR"),
        ("bitte EUR 30 gutschreiben", "30.00 EUR"),
        ("only £5 a month", "5.00 GBP"),
        ("12,50 € zu viel", "12.50 EUR"),
        ("we pay 1 234,56 EUR", "234.56 EUR"),
        ("charged US$49", "49.00 USD"),
        ("charged CA$49.99", "49.99 CAD"),
        ("charged 49.99 usd", "49.99 USD"),
        ("charged USD 1,200", "1200.00 USD"),
        ("charged 20 dollars", "20.00 USD"),
        ("charged 15 euros", "15.00 EUR"),
        ("refund of -$12.50 shown", "-12.50 USD"),
        ("a $5k invoice", "5000.00 USD"),
        ("¥5000 for the add-on", "5000 JPY"),
        ("₹1,00,000 annual plan", "100000.00 INR"),
        ("CHF 99.90 per seat", "99.90 CHF"),
    ],
)
def test_amounts_with_currency(text: str, value: str) -> None:
    found = amounts(text)
    assert found and found[-1].value == value
    assert found[-1].valid


@pytest.mark.parametrize(
    "text",
    [
        "Upgraded to v2.50 yesterday",
        "version 12.50 is out",
        "about 2.5 times slower",
        "99.9% uptime is promised",
        "we have 1,200 users",
        "error 1200.00 appears",
        "echo $HOME prints nothing",
        "$ npm install fails",
    ],
)
def test_numbers_without_currency_are_not_amounts(text: str) -> None:
    assert amounts(text) == []


def test_bare_dollar_is_usd_but_less_sure_than_a_code() -> None:
    (dollar,) = amounts("paid $10")
    (code,) = amounts("paid 10 USD")
    assert dollar.confidence < code.confidence == 1.0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("charged $1,2345", "4 digits after the decimal mark"),
        ("charged $12,34,56", "the digit groups do not fit a thousands separator"),
        ("charged €1.2.3,45", "the digit groups do not fit a thousands separator"),
        ("charged $1,234.5678", "the decimal part is not one or two digits"),
        ("refund $1000000000000000000000000000", "too large to be an amount"),
        ("refund 9999999999999999999999999999m dollars", "too large to be an amount"),
        ("a " + "1" * 80 + " EUR", "too large to be an amount"),
    ],
)
def test_malformed_amounts_are_reported_not_guessed(text: str, reason: str) -> None:
    (fact,) = amounts(text)
    assert not fact.valid
    assert fact.reason == reason
    assert fact.value == fact.raw


@pytest.mark.parametrize(
    ("number", "value"),
    [
        ("12", Decimal("12")),
        ("12.5", Decimal("12.5")),
        ("12,5", Decimal("12.5")),
        ("1,200", Decimal("1200")),
        ("1.200", Decimal("1200")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,234,567.89", Decimal("1234567.89")),
    ],
)
def test_parse_number(number: str, value: Decimal) -> None:
    assert parse_number(number, "EUR") == (value, None)


def test_amounts_in_a_sentence_with_dates_and_versions() -> None:
    text = "On 2024-03-01 the 3.2.1 release billed me €19,99 and then 19.99 EUR again."
    facts = [(f.name, f.value) for f in extract_facts(text)]
    assert ("amount", "19.99 EUR") in facts
    assert ("date", "2024-03-01") in facts
    assert sum(1 for name, _ in facts if name == "amount") == 1  # the same value, once
