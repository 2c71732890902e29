"""Analysis fixtures: its tables emptied before each test, and its routes mounted."""

import httpx
import pytest
from fastapi import FastAPI

ANALYSIS_TABLES = ["analysis_claims", "analysis_results", "analysis_runs"]


@pytest.fixture(scope="session")
def analysis_app(app: FastAPI) -> FastAPI:
    return app


@pytest.fixture
def api(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return client
