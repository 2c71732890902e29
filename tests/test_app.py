import gc
from pathlib import Path

import httpx
from fastapi import FastAPI

from supportdesk.app import create_app
from supportdesk.config import JobSettings, Settings
from supportdesk.events.broker import BROKER
from supportdesk.migrate import upgrade_async


async def test_health(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/health", "/healthz/"):
        body = (await client.get(path)).json()
        assert body["status"] == "ok"


async def test_head_is_get_without_the_body(client: httpx.AsyncClient) -> None:
    assert (await client.head("/healthz")).status_code == 200
    assert (await client.head("/api/tickets/")).status_code == 200


async def test_a_method_the_path_does_not_serve_is_405_naming_the_ones_it_does(
    client: httpx.AsyncClient,
) -> None:
    for method, path, allowed in [
        ("DELETE", "/api/tickets/", "GET, HEAD, POST"),
        ("PUT", "/api/tickets/1", "GET, HEAD, PATCH"),
        ("OPTIONS", "/healthz", "GET, HEAD"),
        ("GET", "/api/analyze", "POST"),
        ("HEAD", "/api/tickets/1/merge", "POST"),
    ]:
        response = await client.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.headers["allow"] == allowed
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.post("/api/nothing", json={})).status_code == 404


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


async def test_the_docs_load_nothing_from_the_network(client: httpx.AsyncClient) -> None:
    page = (await client.get("/docs")).text
    scripts = [line for line in page.splitlines() if ".js" in line or ".css" in line]
    assert scripts and not any("http" in line for line in scripts)
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static-offline-docs/{asset}" in page
        assert (await client.get(f"/static-offline-docs/{asset}")).status_code == 200


async def test_the_ui_serves_get_at_its_paths_and_other_methods_are_405(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>supportdesk</title>")
    with_ui = create_app(settings.model_copy(update={"static_dir": tmp_path}))
    transport = httpx.ASGITransport(app=with_ui)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        for path in ("/", "/tickets/1"):
            assert (await http.get(path)).text.startswith("<!doctype html>")
            response = await http.post(path, json={})
            assert response.status_code == 405, path
            assert response.headers["allow"] == "GET, HEAD"
        assert (await http.post("/api/nothing", json={})).status_code == 404


async def test_start_up_objects_are_left_out_of_full_collections(
    client: httpx.AsyncClient,
) -> None:
    # Without the freeze a full collection walks them all and stalls requests in flight.
    assert gc.get_freeze_count() > 10_000


async def test_an_embedded_app_stopping_leaves_another_apps_live_events_alone(
    app: FastAPI, tmp_path: Path
) -> None:
    """Tests (and `move-data`) run several apps in one process: one on SQLite, which never
    listened, must not close the PostgreSQL listener another app relies on."""
    listening = BROKER._listener
    url = f"sqlite+aiosqlite:///{tmp_path / 'other.db'}"
    await upgrade_async(url)
    # No job runner: a runner in this process would change its GIL switch interval for good.
    jobs = JobSettings(in_process=False)
    embedded = create_app(Settings(database_url=url, static_dir=tmp_path, jobs=jobs))
    async with embedded.router.lifespan_context(embedded):
        pass
    assert BROKER._listener is listening
    if listening is not None:
        assert not listening.is_closed()
