"""The offline workflow for one ticket's text: facts -> routing + SLA -> draft.

No database and no network: the API's stateless endpoints and the per-ticket task both
run exactly this, so what an agent sees stored is what the API would answer.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from supportdesk.config import Settings
from supportdesk.taxonomy import Category, Priority, Tone
from supportdesk.triage.base import Suggestion, ticket_text
from supportdesk.triage.cues import BLOCKED, CATEGORY_CUES, CRITICAL_CUES, SHOUTING
from supportdesk.workflow.drafts.template import (
    Draft,
    Drafter,
    DraftRequest,
    TemplateDrafter,
    Turn,
)
from supportdesk.workflow.extraction.extract import FACT_NAMES, extract_facts, missing_facts
from supportdesk.workflow.extraction.facts import Fact
from supportdesk.workflow.routing.config import RoutingConfig, load_routing
from supportdesk.workflow.routing.route import RoutingDecision, route

MAX_LISTED = 10


@dataclass(frozen=True)
class WorkflowSetup:
    """What the workflow needs besides the ticket, built once per process."""

    routing: RoutingConfig
    drafter: Drafter
    default_tone: Tone = Tone.FRIENDLY
    phone_region: str | None = "US"
    day_first: bool = False


@lru_cache(maxsize=4)
def _routing(path: Path) -> RoutingConfig:
    return load_routing(path)


def setup_for(settings: Settings) -> WorkflowSetup:
    """The workflow of this process. Call it at start-up: a malformed routing file raises
    RoutingConfigError (file, line, reason) there instead of on the first ticket."""
    group = settings.workflow
    return WorkflowSetup(
        routing=_routing(group.routing_file),
        drafter=TemplateDrafter(group.draft_signature),
        default_tone=group.default_tone,
        phone_region=group.phone_region,
        day_first=group.day_first_dates,
    )


@dataclass(frozen=True)
class Assessment:
    """What the workflow makes of one ticket (batch analysis runs are another feature)."""

    facts: list[Fact]
    missing: list[str]
    decision: RoutingDecision
    draft_request: DraftRequest  # what a draft of this ticket is written from
    draft: Draft | None


def _distinct(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        value = " ".join(value.split())
        if any(ch.isalnum() for ch in value):
            seen.setdefault(value.lower(), value)
    return list(seen.values())[:MAX_LISTED]


def secondary_categories(text: str, primary: Category) -> list[Category]:
    """Other categories the text has cues for, strongest first (at most two)."""
    hits = {c: len(cue.findall(text)) for c, cue in CATEGORY_CUES.items() if c != primary}
    ranked = sorted((c for c, n in hits.items() if n), key=lambda c: -hits[c])
    return ranked[:2]


@dataclass(frozen=True)
class Classification:
    """A triage suggestion with the cues a reader can check, in the reference's terms."""

    suggestion: Suggestion
    secondary_categories: list[Category]
    keywords_matched: list[str]
    urgency_indicators: list[str]


def describe(suggestion: Suggestion, text: str) -> Classification:
    cue = CATEGORY_CUES[suggestion.category]
    impact = (match.group(0) for c in CRITICAL_CUES.values() for match in [c.search(text)] if match)
    return Classification(
        suggestion=suggestion,
        secondary_categories=secondary_categories(text, suggestion.category),
        keywords_matched=_distinct(m.group(0).lower() for m in cue.finditer(text)),
        urgency_indicators=_distinct(
            [
                *(m.group(0) for m in SHOUTING.finditer(text)),
                *impact,
                *(m.group(0) for m in BLOCKED.finditer(text)),
            ]
        ),
    )


def merge_known(facts: Sequence[Fact], known: Iterable[Fact]) -> list[Fact]:
    """Facts the caller supplied, added after ours when we did not find the same value."""
    seen = {(f.name, f.value) for f in facts}
    merged = list(facts)
    for fact in known:
        if (fact.name, fact.value) not in seen:
            seen.add((fact.name, fact.value))
            merged.append(fact)
    order = {name: i for i, name in enumerate(FACT_NAMES)}
    return sorted(merged, key=lambda f: order.get(f.name, len(order)))


def routing_confidence(
    decision: RoutingDecision, category_confidence: float = 1.0, priority_confidence: float = 1.0
) -> float:
    """How sure the routing is: a rule match is firm, the default team less so, and either
    is only as sure as the label it rests on (priority for an escalation)."""
    if decision.escalated:
        return round(0.95 * priority_confidence, 3)
    return round((0.95 if decision.rule else 0.6) * category_confidence, 3)


async def assess(
    setup: WorkflowSetup,
    *,
    subject: str,
    body: str,
    category: Category,
    priority: Priority,
    created_at: datetime,
    tone: Tone | None = None,
    secondary: Sequence[Category] | None = None,
    contact_email: str | None = None,
    known_facts: Sequence[Fact] = (),
    thread: Sequence[Turn] = (),
    with_draft: bool = True,
) -> Assessment:
    """`thread`: the public messages after the description; the customer's count as the
    ticket's text (facts and routing read them), and the drafter sees them all."""
    said_since = [turn.text for turn in thread if turn.author == "customer"]
    text = ticket_text(subject, "\n\n".join([body, *said_since]))
    facts = extract_facts(
        text,
        today=created_at.date(),
        phone_region=setup.phone_region,
        day_first=setup.day_first,
    )
    facts = merge_known(facts, known_facts)
    decision = route(
        setup.routing,
        category=category,
        priority=priority,
        text=text,
        secondary_categories=secondary_categories(text, category)
        if secondary is None
        else secondary,
        created_at=created_at,
    )
    missing = missing_facts(category, facts, contact_email=contact_email)
    request = DraftRequest(
        subject=subject,
        body=body,
        category=category,
        priority=priority,
        tone=tone or setup.default_tone,
        facts=facts,
        missing=missing,
        team_name=setup.routing.teams[decision.team],
        escalated=decision.escalated,
        contact_email=contact_email,
        thread=thread,
    )
    draft = await setup.drafter.draft(request) if with_draft else None
    return Assessment(
        facts=facts, missing=missing, decision=decision, draft_request=request, draft=draft
    )
