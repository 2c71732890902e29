"""Emails, phone numbers (validated, E.164) and links."""

import pytest

from supportdesk.workflow.extraction.contacts import email_problem
from supportdesk.workflow.extraction.extract import extract_facts
from supportdesk.workflow.extraction.facts import Fact


def found(text: str, name: str, region: str | None = "US") -> list[Fact]:
    return [f for f in extract_facts(text, phone_region=region) if f.name == name]


# --- emails --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("reach me at john.doe@example.com.", "john.doe@example.com"),
        ("Email: Jane.Doe+billing@Example.CO.UK", "Jane.Doe+billing@example.co.uk"),
        ("(o'brien@example.ie)", "o'brien@example.ie"),
        ("mail to müller@beispiel.de please", "müller@beispiel.de"),
    ],
)
def test_valid_emails(text: str, value: str) -> None:
    (fact,) = found(text, "email")
    assert (fact.value, fact.valid, fact.confidence) == (value, True, 1.0)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("send it to john@example", "the domain has no ending such as .com"),
        ("send it to john..doe@example.com", "the part before the @ has a misplaced dot"),
        ("send it to .john@example.com", "the part before the @ has a misplaced dot"),
        ("send it to john@-example.com", "the domain is malformed"),
        ("send it to john@example.c0m", "'.c0m' is not a domain ending"),
    ],
)
def test_invalid_emails_are_reported(text: str, reason: str) -> None:
    (fact,) = found(text, "email")
    assert not fact.valid
    assert fact.reason == reason


def test_mentions_and_at_signs_are_not_emails() -> None:
    assert found("ping @john on Slack, meet @ 5pm", "email") == []


def test_email_problem() -> None:
    assert email_problem("a@b.co") is None
    assert email_problem("@b.co") == "there is no name before the @"
    assert email_problem("a" * 65 + "@b.co") == "too long to be an email address"


# --- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("call me on +44 20 7946 0958", "+442079460958"),
        ("Tel: +49 30 901820", "+4930901820"),
        ("mobile +33 6 12 34 56 78", "+33612345678"),
        ("phone +1 (650) 253-0000", "+16502530000"),
        ("+1-415-555-0132 is my cell", "+14155550132"),
    ],
)
def test_international_numbers_in_e164(text: str, e164: str) -> None:
    (fact,) = found(text, "phone")
    assert (fact.value, fact.valid) == (e164, True)
    assert fact.confidence >= 0.9
    assert fact.reason is None


def test_national_numbers_use_the_region_and_say_so() -> None:
    (fact,) = found("you can reach me at (650) 253-0000", "phone")
    assert fact.value == "+16502530000"
    assert fact.reason == "no country code; read as a US number"
    (uk,) = found("ring me on 020 7946 0958", "phone", region="GB")
    assert uk.value == "+442079460958"


@pytest.mark.parametrize(
    ("text", "raw", "reason"),
    [
        ("call me at +1 555", "+1 555", "too short to be a phone number"),
        ("call 555-987-6543", "555-987-6543", "not an assigned number range in US"),
        ("phone: +999 1234 5678", "+999 1234 5678", "the country code does not exist"),
        (
            "phone +1 650 253 0000 0000 00",
            "+1 650 253 0000 0000 00",
            "too long to be a phone number",
        ),
    ],
)
def test_invalid_numbers_are_reported_as_written(text: str, raw: str, reason: str) -> None:
    (fact,) = found(text, "phone")
    assert (fact.value, fact.valid, fact.reason) == (raw, False, reason)


def test_without_a_region_a_national_number_is_not_guessed() -> None:
    (fact,) = found("call me on (650) 253-0000", "phone", region=None)
    assert not fact.valid
    assert fact.reason == "no country code, and no default region is set"


@pytest.mark.parametrize(
    "text",
    [
        "ticket 12345678 is still open",  # a bare number without a cue is not a phone
        "between 10 and 20 users",
        "card 4111 1111 1111 1111 was declined",
        "the year 2024 was good",
        "at 10:30",
        "1 2 3 4 5 6 7",
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert found(text, "phone") == []


# --- links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("see https://app.example.com/reports?id=5.", "https://app.example.com/reports?id=5"),
        ("(see https://example.com/a_(b))", "https://example.com/a_(b)"),
        ("HTTPS://Example.COM/Path", "https://example.com/Path"),
        ("at www.example.org/help, thanks", "www.example.org/help"),
        ("local http://localhost:8080/x", "http://localhost:8080/x"),
    ],
)
def test_links(text: str, value: str) -> None:
    (fact,) = found(text, "url")
    assert (fact.value, fact.valid) == (value, True)


def test_credentials_in_links_are_dropped() -> None:
    (fact,) = found("repo at https://bob:hunter2@git.example.com/x", "url")
    assert fact.value == "https://git.example.com/x"
    assert "hunter2" not in fact.value
    assert fact.reason == "credentials written in the link were left out"


def test_broken_links_are_reported() -> None:
    (port,) = found("open http://example.com:99999/x", "url")
    assert (port.valid, port.reason) == (False, "the port is not valid")
    (host,) = found("open http://intranet/x", "url")
    assert (host.valid, host.reason) == (False, "there is no host name")


def test_ids_inside_links_are_part_of_the_link() -> None:
    facts = extract_facts("https://shop.example.com/orders/ORD-123?d=2024-01-15")
    assert [f.name for f in facts] == ["url"]
