"""Text hygiene: what is dropped, and what invisible characters stay because they are text."""

import re

import httpx
import pytest
from pydantic import TypeAdapter, ValidationError

from supportdesk.text import EmailAddress, printable
from tests.factories import make_ticket

# Persian "I want": the non-joiner is part of the spelling.
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
CODER = "\U0001f469\u200d\U0001f4bb"  # one emoji: woman, joiner, laptop


def test_control_and_bidi_characters_go_joiners_stay() -> None:
    assert printable("\x00a\x07b\u202e c\u200b\ufeff ") == "ab c"
    assert printable(f" {CODER} {PERSIAN}\n\tok ") == f"{CODER} {PERSIAN}\n\tok"
    assert printable(" \u200d \u200c\n") == ""  # joiners alone join nothing: blank


async def test_a_title_of_joiners_alone_is_blank(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/tickets/", json={"title": " \u200d ", "description": "\u200c\u200c"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"title", "description"}


async def test_joined_text_is_stored_as_typed_and_found_as_typed(
    client: httpx.AsyncClient,
) -> None:
    ticket = await make_ticket(client, title=f"Dev {CODER} help", description=f"{PERSIAN} refund")
    stored = (await client.get(f"/api/tickets/{ticket['id']}/")).json()
    assert (stored["title"], stored["description"]) == (f"Dev {CODER} help", f"{PERSIAN} refund")
    found = (await client.get("/api/tickets/", params={"search": PERSIAN})).json()
    assert [t["id"] for t in found["results"]] == [ticket["id"]]


@pytest.mark.parametrize("address", ["a\x85b@example.com", "\ufeffa@example.com", "a b@x.y"])
def test_an_email_address_refused_by_its_documented_pattern_too(address: str) -> None:
    """Python's \\s and JSON Schema's differ on U+0085 and U+FEFF: the pattern names both,
    so what the schema documents and what the check accepts agree."""
    schema = TypeAdapter(EmailAddress).json_schema()
    pattern = re.compile(schema["pattern"])
    assert pattern.search(address) is None
    with pytest.raises(ValidationError):
        TypeAdapter(EmailAddress).validate_python(address)
