"""`/metrics` and `/readyz`.

`/metrics` joins what this machine's API processes measured (`supportdesk/metrics.py`) to
what the database knows, read at scrape time: jobs waiting, their lag and failures per
task, emails in by outcome and out by delivery, LLM calls by provider and outcome, SLA
breaches by target. Read from the tables, these are the same whichever process answers and
wherever the work ran (any worker, any machine). The queries read rows the features own,
for counting only: a scrape is a few aggregate statements over indexed columns.

`/readyz` says whether this process can serve: the database answers, its migrations are
at this version's head, the triage model is loaded and the job queue is reachable."""

from collections.abc import Iterable, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector, CollectorRegistry
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.metrics import process_metrics
from supportdesk.migrate import current_revision, head_revision

JOBS_POSTGRESQL = """
SELECT j.task_name, j.status, count(*),
       coalesce(extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at))), 0)
FROM procrastinate_jobs j
LEFT JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'
WHERE j.status IN ('todo', 'failed')
GROUP BY 1, 2
"""
JOBS_SQLITE = """
SELECT task, status, count(*),
       coalesce((julianday('now') - julianday(min(run_after))) * 86400, 0)
FROM local_jobs WHERE status IN ('todo', 'failed') GROUP BY 1, 2
"""
EMAILS_IN = "SELECT status, count(*) FROM inbound_emails GROUP BY 1"
EMAILS_OUT = "SELECT status, count(*) FROM outbound_emails GROUP BY 1"
LLM_CALLS = "SELECT provider, outcome, count(*) FROM triage_provider_calls GROUP BY 1, 2"
SLA_BREACHES = "SELECT target, count(*) FROM sla_events WHERE kind = 'breached' GROUP BY 1"


class Readiness(BaseModel):
    status: str = Field(description="ready, or not ready")
    checks: dict[str, str] = Field(description="database, migrations, model, jobs: ok or why not")


class Families(Collector):
    """Metric families worked out before the scrape (the queries are async; a
    prometheus-client collector is not)."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self.families = tuple(families)

    def collect(self) -> Iterable[Metric]:
        return self.families


async def _rows(session: AsyncSession, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in await session.execute(text(sql))]


async def database_families(session: AsyncSession, postgresql: bool) -> Iterator[Metric]:
    waiting = GaugeMetricFamily(
        "supportdesk_jobs_waiting", "Jobs waiting to run, per task", labels=["task"]
    )
    lag = GaugeMetricFamily(
        "supportdesk_jobs_lag_seconds",
        "How long the oldest waiting job of each task has been due",
        labels=["task"],
    )
    failed = GaugeMetricFamily(
        "supportdesk_jobs_failed", "Jobs that failed for good, per task", labels=["task"]
    )
    for task, status, count, seconds in await _rows(
        session, JOBS_POSTGRESQL if postgresql else JOBS_SQLITE
    ):
        if status == "todo":
            waiting.add_metric([str(task)], float(count))  # type: ignore[arg-type]
            lag.add_metric([str(task)], max(0.0, float(seconds)))  # type: ignore[arg-type]
        else:
            failed.add_metric([str(task)], float(count))  # type: ignore[arg-type]
    emails_in = CounterMetricFamily(
        "supportdesk_emails_received", "Emails received, by what became of them", labels=["outcome"]
    )
    for status, count in await _rows(session, EMAILS_IN):
        emails_in.add_metric([str(status)], float(count))  # type: ignore[arg-type]
    emails_out = CounterMetricFamily(
        "supportdesk_emails_sent", "Emails written to customers, by delivery", labels=["status"]
    )
    for status, count in await _rows(session, EMAILS_OUT):
        emails_out.add_metric([str(status)], float(count))  # type: ignore[arg-type]
    llm = CounterMetricFamily(
        "supportdesk_llm_calls",
        "Calls to LLM providers (kept 30 days), by provider and outcome",
        labels=["provider", "outcome"],
    )
    for provider, outcome, count in await _rows(session, LLM_CALLS):
        llm.add_metric([str(provider), str(outcome)], float(count))  # type: ignore[arg-type]
    breaches = CounterMetricFamily(
        "supportdesk_sla_breaches", "SLA targets breached, by target", labels=["target"]
    )
    for target, count in await _rows(session, SLA_BREACHES):
        breaches.add_metric([str(target)], float(count))  # type: ignore[arg-type]
    return iter((waiting, lag, failed, emails_in, emails_out, llm, breaches))


async def scrape(session: AsyncSession, postgresql: bool) -> bytes:
    registry = CollectorRegistry()
    registry.register(Families(await database_families(session, postgresql)))
    return process_metrics() + generate_latest(registry)


async def readiness(session: AsyncSession, postgresql: bool, model_loaded: bool) -> dict[str, str]:
    """Each check's result: "ok" or why not."""
    checks: dict[str, str] = {}
    try:
        revision = await current_revision(await session.connection())
    except Exception as error:  # any database failure is "not ready", said with its reason
        checks["database"] = f"unreachable: {type(error).__name__}"
        return checks | {"migrations": "unknown", "model": "unknown", "jobs": "unknown"}
    checks["database"] = "ok"
    head = head_revision()
    checks["migrations"] = "ok" if revision == head else f"at {revision}, this version needs {head}"
    checks["model"] = "ok" if model_loaded else "the local model is not loaded (make model)"
    queue = "procrastinate_jobs" if postgresql else "local_jobs"
    try:
        await session.execute(text(f"SELECT 1 FROM {queue} LIMIT 1"))
        checks["jobs"] = "ok"
    except Exception as error:
        checks["jobs"] = f"queue unreachable: {type(error).__name__}"
    return checks
