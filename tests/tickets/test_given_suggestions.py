"""Labels sent back for a text this server just suggested for count as the AI's, accepted,
and keep that suggestion's review flag (what our form and the reference client send)."""

import httpx

SPANISH = {
    "title": "Cuenta bloqueada",
    "description": "Mi cuenta está bloqueada y no puedo entrar desde ayer",
}


async def suggest(client: httpx.AsyncClient, text: dict[str, str]) -> dict[str, object]:
    response = await client.post("/api/tickets/classify", json=text)
    assert response.status_code == 200, response.text
    suggestion: dict[str, object] = response.json()
    return suggestion


async def create(client: httpx.AsyncClient, **body: object) -> dict[str, object]:
    response = await client.post("/api/tickets/", json=body)
    assert response.status_code == 201, response.text
    ticket: dict[str, object] = response.json()
    return ticket


async def test_accepted_labels_sent_as_fields_count_as_the_ais(client: httpx.AsyncClient) -> None:
    text = {"title": "Charged twice", "description": "My card was charged twice this month."}
    given = await suggest(client, text)
    ticket = await create(
        client,
        **text,
        category=given["suggested_category"],
        priority=given["suggested_priority"],
    )
    assert ticket["category_source"] == ticket["priority_source"] == "ai"
    assert ticket["ai_category"] == given["suggested_category"]
    assert ticket["ai_provider"] == given["provider"]


async def test_an_unsure_suggestion_accepted_in_the_form_stays_flagged(
    client: httpx.AsyncClient,
) -> None:
    given = await suggest(client, SPANISH)
    assert given["needs_review"] is True
    confidence = given["confidence"]
    assert isinstance(confidence, dict)
    ticket = await create(  # what the new-ticket form sends
        client,
        **SPANISH,
        category=given["suggested_category"],
        priority=given["suggested_priority"],
        ai_category=given["suggested_category"],
        ai_priority=given["suggested_priority"],
        ai_category_confidence=confidence["category"],
        ai_priority_confidence=confidence["priority"],
    )
    assert ticket["needs_review"] is True


async def test_labels_a_person_chose_over_the_suggestion_are_theirs(
    client: httpx.AsyncClient,
) -> None:
    given = await suggest(client, SPANISH)
    other = "billing" if given["suggested_category"] != "billing" else "account"
    ticket = await create(client, **SPANISH, category=other, priority="low")
    assert ticket["category_source"] == "user"
    assert ticket["needs_review"] is (given["suggested_priority"] == "low")


async def test_labels_for_a_text_never_suggested_for_are_a_persons(
    client: httpx.AsyncClient,
) -> None:
    ticket = await create(client, **SPANISH, category="account", priority="high")
    assert ticket["category_source"] == ticket["priority_source"] == "user"
    assert ticket["needs_review"] is False


async def test_the_reference_clients_accepted_suggestion_counts_as_the_ais(
    client: httpx.AsyncClient,
) -> None:
    # Its form asks for a suggestion from the description alone, then files it with a title.
    description = "The invoice for March shows a charge I do not recognise."
    given = await suggest(client, {"description": description})
    ticket = await create(
        client,
        title="Unknown charge",
        description=description,
        category=given["suggested_category"],
        priority=given["suggested_priority"],
    )
    assert ticket["category_source"] == ticket["priority_source"] == "ai"


async def test_a_title_changed_after_the_suggestion_keeps_it_accepted_and_flagged(
    client: httpx.AsyncClient,
) -> None:
    given = await suggest(client, SPANISH)
    ticket = await create(
        client,
        title="Cuenta bloqueada desde ayer",
        description=SPANISH["description"],
        category=given["suggested_category"],
        priority=given["suggested_priority"],
    )
    assert ticket["category_source"] == ticket["priority_source"] == "ai"
    assert ticket["needs_review"] is True
