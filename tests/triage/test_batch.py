"""Classifying a batch: the engine's one entry point for batch analysis runs."""

from fastapi import FastAPI

from supportdesk.triage.batch import TicketText, classify_batch
from supportdesk.triage.rules import RuleClassifier

TICKETS = [
    TicketText(1, "Charged twice this month", "My card was billed two times for one plan."),
    TicketText(2, "Production is down", "Every request returns 503 for all our users."),
]


async def test_without_the_model_the_rules_label_every_ticket() -> None:
    rules = RuleClassifier()
    answers = await classify_batch(None, rules, TICKETS)
    assert [a.ticket_id for a in answers] == [1, 2]
    expected = [rules.classify_text(t.title, t.description) for t in TICKETS]
    assert [a.suggestion for a in answers] == expected
    assert all(a.embedding is None for a in answers)


async def test_the_engine_answers_a_batch_with_its_local_model(app: FastAPI) -> None:
    engine = app.state.triage
    answers = await engine.classify_batch(TICKETS)
    single = [await engine.local.classify(t.title, t.description) for t in TICKETS]
    assert [a.suggestion for a in answers] == single
    assert all(a.embedding is not None and a.notes is None for a in answers)
