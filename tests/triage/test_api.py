import httpx
import pytest


async def test_classify_returns_reference_shape_plus_details(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/tickets/classify/", json={"description": "I was charged twice this month"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["suggested_category"] == "billing"
    assert body["suggested_priority"] in {"low", "medium", "high", "critical"}
    assert set(body["confidence"]) == {"category", "priority"}
    for key in ("reasoning", "signals", "provider", "needs_review"):
        assert key in body
    assert "warning" not in body  # only when the LLM failed
    assert (
        await client.post("/api/tickets/classify", json={"description": "x y"})
    ).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "   "}, "description"),
        ({}, "description"),
        ({"description": "\x00\x07"}, "description"),
        ({"description": "a" * 20_001}, "description"),
        ({"title": "t" * 201, "description": "ok"}, "title"),
        ({"description": "ok", "extra": 1}, "extra"),
    ],
)
async def test_bad_text(client: httpx.AsyncClient, body: dict[str, object], field: str) -> None:
    response = await client.post("/api/tickets/classify/", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][field] != []


async def test_the_limit_is_on_each_field_not_their_sum(client: httpx.AsyncClient) -> None:
    body = {"title": "Long log attached", "description": "a" * 20_000}
    assert (await client.post("/api/tickets/classify/", json=body)).status_code == 200
    too_long = {"title": "t" * 201, "description": "a" * 20_001}
    errors = (await client.post("/api/tickets/classify/", json=too_long)).json()["errors"]
    assert errors == {
        "title": ["at most 200 characters"],
        "description": ["at most 20000 characters"],
    }


async def test_other_languages_and_binary_noise_never_crash(client: httpx.AsyncClient) -> None:
    for text in [
        "Mein Konto ist gesperrt, bitte helfen",
        "アカウントにログインできません",
        "\x01\x02abc\ufffe",
    ]:
        response = await client.post("/api/tickets/classify/", json={"description": text})
        assert response.status_code == 200, response.text
