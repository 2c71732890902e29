"""Extraction over whole tickets: ids, error codes, and what wins when readings overlap."""

from datetime import date

import pytest

from supportdesk.taxonomy import Category
from supportdesk.workflow.extraction.extract import extract_facts, missing_facts, validation_errors
from supportdesk.workflow.extraction.facts import Fact

TODAY = date(2025, 3, 10)


def values(text: str, name: str) -> list[str]:
    return [f.value for f in extract_facts(text, today=TODAY) if f.name == name]


def names(text: str) -> set[str]:
    return {f.name for f in extract_facts(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My order #ORD-789012 never arrived", ["ORD-789012"]),
        ("Order IDs are ORD-111 and ORD-112.", ["ORD-111", "ORD-112"]),
        ("order number 12345678 was charged", ["12345678"]),
        ("Order #4821 is missing an item", ["4821"]),
        ("my order id: AB-99812 shows twice", ["AB-99812"]),
        ("I placed order 5582019 last week", ["5582019"]),
        ("ord-5521 and ORD-5521 are the same", ["ORD-5521"]),
        ("PO-2024-0012 was approved", ["PO-2024-0012"]),
        ("The order number is #A7731", ["A7731"]),
        # Counts, dates and words after "order" are not ids.
        ("I want to order 100 units", []),
        ("my order from 2024-01-15 is late", []),
        ("my order 2024-01-15 is late", []),
        ("the order was placed yesterday", []),
        ("order of magnitude slower", []),
    ],
)
def test_order_ids(text: str, expected: list[str]) -> None:
    assert values(text, "order_id") == expected


def test_an_order_placed_on_a_date_keeps_the_date() -> None:
    facts = extract_facts("my order 2024-01-15 is late", today=TODAY)
    assert [(f.name, f.value) for f in facts] == [("date", "2024-01-15")]


def test_order_ids_shaped_like_dates_stay_order_ids() -> None:
    assert values("ORD-2024-01-15 was refunded", "order_id") == ["ORD-2024-01-15"]
    assert values("ORD-2024-01-15 was refunded", "date") == []
    assert values("order #2024-0115 failed", "order_id") == ["2024-0115"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Invoice INV-2024-0012 shows the wrong VAT", ["INV-2024-0012"]),
        ("invoice number 88231 is missing", ["88231"]),
        ("Where is my invoice for March?", []),
    ],
)
def test_invoice_ids(text: str, expected: list[str]) -> None:
    assert values(text, "invoice_id") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I get an error code ERR-5003 every time.", ["ERR-5003"]),
        ("Error message shows ERR-EXP-001.", ["ERR-EXP-001"]),
        ("Chrome says ERR_CONNECTION_REFUSED", ["ERR_CONNECTION_REFUSED"]),
        ("EMERGENCY!!! Error: 0xDEADBEEF.", ["0xDEADBEEF"]),
        ("the installer fails with 0x80070005", ["0x80070005"]),
        ("The API returns 500 Internal Server Error", ["HTTP 500"]),
        ("getting HTTP 502 from the gateway", ["HTTP 502"]),
        ("status code 429 on every call", ["HTTP 429"]),
        ("we see error 404 on the dashboard", ["HTTP 404"]),
        ("Installer ends with error 1603", ["1603"]),
        ("the container exited with exit code 137", ["137"]),
        ("webhook fails: ECONNREFUSED", ["ECONNREFUSED"]),
        ("app crashes with NullPointerException", ["NullPointerException"]),
        ("Error code: AADSTS50076 when signing in", ["AADSTS50076"]),
        # Not error codes: counts and plain numbers.
        ("we had an error 2 times today", []),
        ("We have 500 users", []),
    ],
)
def test_error_codes(text: str, expected: list[str]) -> None:
    assert values(text, "error_code") == expected


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("After updating to version 2.4.1 the app crashes", "2.4.1"),
        ("running v3.12.0-beta.2 on staging", "3.12.0-beta.2"),
        ("since release 10.5.2024 the export is empty", "10.5.2024"),
    ],
)
def test_versions_are_versions_not_amounts_dates_or_phones(text: str, version: str) -> None:
    facts = extract_facts(text, today=TODAY)
    assert [(f.name, f.value) for f in facts] == [("version", version)]


@pytest.mark.parametrize(
    "text",
    [
        "Our server 192.168.100.120 refuses connections",
        "Works on Windows 10 and iOS 17.4.1 but not Android 14",
        "Python 3.11.4 with Node 20.11.1",
        "The build was 20% slower",
        "we have 12 seats and 3 admins",
    ],
)
def test_technical_numbers_are_not_facts(text: str) -> None:
    assert extract_facts(text, today=TODAY) == []


def test_version_and_price_in_one_sentence() -> None:
    text = "Upgraded to v2.50 and was charged $2.50 for it"
    facts = {(f.name, f.value) for f in extract_facts(text, today=TODAY)}
    assert facts == {("version", "2.50"), ("amount", "2.50 USD")}


@pytest.mark.parametrize(
    ("text", "plans", "products"),
    [
        ("I was charged twice for my Pro subscription", ["Pro"], []),
        ("We'd like to move to the Business Plus plan", ["Business Plus"], []),
        ("Is the Enterprise tier available yearly?", ["Enterprise"], []),
        ("Cancel my monthly plan please", [], []),
        ("Monthly plan renewal failed", [], []),
        ("I plan to upgrade next week", [], []),
        ("The Slack integration stopped posting", [], ["Slack integration"]),
        ("the iOS app freezes on launch", [], ["iOS app"]),
        ("Our Zapier connector lost its token", [], ["Zapier connector"]),
        ("The API is slow", [], []),
    ],
)
def test_plans_and_products_only_when_named(
    text: str, plans: list[str], products: list[str]
) -> None:
    assert values(text, "plan") == plans
    assert values(text, "product") == products


def test_a_realistic_billing_ticket() -> None:
    text = (
        "Double charged for subscription\n"
        "Hello, I was charged twice this month for my Pro subscription. The amounts are "
        "$29.99 on January 15th and again on January 20th. My order IDs are ORD-111 and "
        "ORD-112. Please refund the duplicate. You can reach me on (415) 555-0132."
    )
    facts = extract_facts(text, today=TODAY)
    assert [(f.name, f.value) for f in facts] == [
        ("order_id", "ORD-111"),
        ("order_id", "ORD-112"),
        ("amount", "29.99 USD"),
        ("date", "2025-01-15"),
        ("date", "2025-01-20"),
        ("phone", "+14155550132"),
        ("plan", "Pro"),
    ]
    assert all(0 < f.confidence <= 1 for f in facts)


def test_a_realistic_shipping_ticket_reports_the_bad_phone() -> None:
    text = (
        "Order ORD-789012 never arrived\n"
        "My order #ORD-789012 was supposed to arrive on 2024-01-15. You can reach me at "
        "waiting.customer@email.com or 555-987-6543. The order was for $149.99."
    )
    facts = {f.name: f for f in extract_facts(text, today=TODAY)}
    assert facts["order_id"].value == "ORD-789012"
    assert facts["date"].value == "2024-01-15"
    assert facts["email"].value == "waiting.customer@email.com"
    assert facts["amount"].value == "149.99 USD"
    phone = facts["phone"]
    assert (phone.valid, phone.value) == (False, "555-987-6543")  # 555 is no US area code
    assert phone.reason


def test_each_value_is_reported_once_in_a_stable_order() -> None:
    text = "ORD-1 failed. Again ORD-1. Contact a@example.com or A@EXAMPLE.com. ERR-42 and ORD-1"
    facts = extract_facts(text, today=TODAY)
    assert [(f.name, f.value) for f in facts] == [
        ("order_id", "ORD-1"),
        ("error_code", "ERR-42"),
        ("email", "a@example.com"),
        ("email", "A@example.com"),
    ]


def test_nothing_is_invented_from_an_empty_or_vague_ticket() -> None:
    assert extract_facts("", today=TODAY) == []
    assert extract_facts("Help\n?", today=TODAY) == []
    assert extract_facts("It is broken since last week, please fix ASAP!!!", today=TODAY) == []


def test_missing_facts_per_category() -> None:
    order = Fact("order_id", "ORD-1", 1.0)
    bad_email = Fact("email", "x@y", 0.8, valid=False, reason="no domain ending")
    assert missing_facts(Category.BILLING, []) == ["order_id"]
    assert missing_facts(Category.BILLING, [order]) == []
    assert missing_facts(Category.BILLING, [Fact("amount", "5.00 USD", 1.0)]) == []
    assert missing_facts(Category.ACCOUNT, [bad_email]) == ["email"]
    assert missing_facts(Category.ACCOUNT, [], contact_email="a@b.co") == []
    assert missing_facts(Category.TECHNICAL, []) == []
    assert missing_facts(Category.GENERAL, []) == []


def test_validation_errors_name_the_value_and_reason() -> None:
    facts = extract_facts("call +1 555 about 2023-02-29", today=TODAY)
    assert validation_errors(facts) == [
        'Date "2023-02-29": 2023 is not a leap year, so February has 28 days',
        'Phone number "+1 555": too short to be a phone number',
    ]


def test_facts_round_trip_through_json() -> None:
    for fact in extract_facts("ORD-1 on Feb 30, call +1 555, $5", today=TODAY):
        assert Fact.from_json(fact.as_json()) == fact
