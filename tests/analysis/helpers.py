"""Run what the API enqueued, the way a worker would, and small ticket factories."""

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.jobs.registry import TASKS, JobContext
from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.base import Suggestion
from supportdesk.triage.batch import BatchAnswer, TicketText, Vector, classify_batch
from tests.factories import make_ticket, queued_jobs

TICKETS = [
    ("Charged twice", "I was charged twice for my subscription this month, please refund."),
    ("Refund for double payment", "My card was billed two times for the Pro plan."),
    ("Invoice shows the wrong amount", "The invoice for March charges $99 instead of $49."),
    ("Production is down", "Production is down and none of our users can log in. Urgent!"),
    ("API returns 500 for everyone", "Every request to the public API fails with HTTP 500."),
    ("Cannot reset my password", "The password reset email never arrives. I am locked out."),
    ("Two-factor code rejected", "My 2FA code is always rejected so I cannot sign in."),
    ("How do I export a report?", "Where can I export the monthly report as a PDF?"),
    ("Feature request: dark mode", "It would be great to have a dark mode in the dashboard."),
    ("App crashes on launch", "The iOS app crashes every time I open it since the update."),
]


async def make_tickets(client: httpx.AsyncClient, count: int | None = None) -> list[int]:
    chosen = TICKETS if count is None else (TICKETS * (count // len(TICKETS) + 1))[:count]
    return [
        (await make_ticket(client, title=title, description=body))["id"] for title, body in chosen
    ]


async def queued(app: FastAPI) -> list[tuple[int, str, dict[str, Any]]]:
    """Analysis jobs waiting; other features' jobs (tickets enqueue some too) are left alone."""
    return await queued_jobs(app, "analysis.")


async def _mark_done(app: FastAPI, job_id: int) -> None:
    table = "procrastinate_jobs" if app.state.db.dialect == "postgresql" else "local_jobs"
    async with app.state.db.engine.begin() as connection:
        await connection.execute(
            text(f"UPDATE {table} SET status = 'succeeded' WHERE id = :id"), {"id": job_id}
        )


def context(app: FastAPI, triage: Any = None) -> JobContext:
    return JobContext(app.state.settings, app.state.db, triage or app.state.triage)


async def drain(app: FastAPI, triage: Any = None) -> list[str]:
    """Run queued jobs (and the jobs they enqueue) until none is left; their names in order."""
    ran = []
    while jobs := await queued(app):
        for job_id, name, args in jobs:
            await TASKS[name].function(context(app, triage), **args)
            await _mark_done(app, job_id)
            ran.append(name)
    return ran


@dataclass
class FakeTriage:
    """What tasks ask of the triage engine, with a serving classifier of the test's choosing."""

    local: Any
    classifier: Any
    embedder: Any = None

    async def classify_batch(
        self, tickets: list[TicketText], vectors: dict[int, Vector] | None = None
    ) -> list[BatchAnswer]:
        return await classify_batch(self.local, self.classifier, tickets, vectors)


class FakeLLM:
    """Answers `answers` tickets with fixed labels, then fails like a provider gone away."""

    name = "fake:llm"

    def __init__(self, answers: int, priority: str = "critical") -> None:
        self.answers, self.priority, self.calls = answers, priority, 0

    async def classify(self, title: str, description: str) -> Suggestion:
        self.calls += 1
        if self.calls > self.answers:
            raise ConnectionError("provider unreachable")
        return Suggestion(
            category=Category.TECHNICAL,
            priority=Priority(self.priority),
            category_confidence=0.9,
            priority_confidence=0.9,
            reasoning="the fake LLM says so",
            provider=self.name,
        )
