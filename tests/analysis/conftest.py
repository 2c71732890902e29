"""Names the analysis tests use for the shared fixtures."""

import httpx
import pytest
from fastapi import FastAPI


@pytest.fixture(scope="session")
def analysis_app(app: FastAPI) -> FastAPI:
    return app


@pytest.fixture
def api(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return client
