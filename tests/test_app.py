import gc

import httpx


async def test_health(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/health", "/healthz/"):
        body = (await client.get(path)).json()
        assert body["status"] == "ok"


async def test_openapi_has_stable_operation_ids(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "createTicket",
        "listTickets",
        "getTicket",
        "updateTicket",
        "ticketStats",
        "classifyTicket",
        "health",
    } <= ids
    assert (await client.get("/docs")).status_code == 200


async def test_start_up_objects_are_left_out_of_full_collections(
    client: httpx.AsyncClient,
) -> None:
    # Without the freeze a full collection walks them all and stalls requests in flight.
    assert gc.get_freeze_count() > 10_000
