"""What each process measures as it works, for `/metrics` (Prometheus): requests per route
and their latency, and triage's latency and confidence. Everything the database knows
(jobs waiting and failed, emails in and out, LLM calls, SLA breaches) is read from it at
scrape time instead (`supportdesk/observability.py`), so it is the same whichever process
answers and wherever the work ran.

Several API processes on one machine (WEB_CONCURRENCY > 1) share their measurements
through prometheus-client's multi-process mode: `serve` gives them a fresh directory in
PROMETHEUS_MULTIPROC_DIR before they start, and a scrape of any of them sums them all."""

import os
import time

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "supportdesk_http_requests_total",
    "HTTP requests answered, by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "supportdesk_http_request_duration_seconds",
    "Time from a request's start to its response's end, by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TRIAGE_SECONDS = Histogram(
    "supportdesk_triage_seconds",
    "Time to classify one ticket, by the provider that answered",
    ["provider"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TRIAGE_CONFIDENCE = Histogram(
    "supportdesk_triage_confidence",
    "The lower of a suggestion's category and priority confidence",
    ["provider"],
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
)


def observe_triage(provider: str, started: float, confidence: float) -> None:
    """One classification: `started` from time.perf_counter()."""
    TRIAGE_SECONDS.labels(provider).observe(time.perf_counter() - started)
    TRIAGE_CONFIDENCE.labels(provider).observe(confidence)


def process_metrics() -> bytes:
    """This machine's API processes' measurements, in the text format."""
    directory = os.environ.get(MULTIPROCESS_DIR)
    if not directory:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return generate_latest(registry)
