"""The offline workflow end to end, its settings, a pluggable drafter, and its speed."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from supportdesk.config import ROOT, Settings, WorkflowSettings
from supportdesk.taxonomy import Category, Priority, Tone
from supportdesk.triage.base import Suggestion
from supportdesk.workflow.drafts.template import Draft, DraftRequest, DraftSource, TemplateDrafter
from supportdesk.workflow.extraction.facts import Fact
from supportdesk.workflow.pipeline import (
    WorkflowSetup,
    assess,
    describe,
    merge_known,
    routing_confidence,
    setup_for,
)
from supportdesk.workflow.routing.config import RoutingConfigError, load_routing

CREATED = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SUBJECT = "Double charged for subscription"
BODY = (
    "Hello, I was charged twice this month for my Pro subscription. The amounts are $29.99 "
    "on January 15th and again on January 20th. My order IDs are ORD-111 and ORD-112. "
    "Please refund the duplicate. Reach me at sarah@test.com or +1 (650) 253-0000."
)


@pytest.fixture(scope="module")
def setup() -> WorkflowSetup:
    return WorkflowSetup(
        routing=load_routing(ROOT / "config" / "routing.toml"), drafter=TemplateDrafter()
    )


async def test_assess_a_billing_ticket(setup: WorkflowSetup) -> None:
    result = await assess(
        setup,
        subject=SUBJECT,
        body=BODY,
        category=Category.BILLING,
        priority=Priority.MEDIUM,
        created_at=CREATED,
    )
    assert {f.name for f in result.facts} >= {"order_id", "amount", "date", "email", "phone"}
    assert result.missing == []
    assert result.decision.team == "billing_team"
    assert result.decision.due_at == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert result.draft is not None and "ORD-111" in result.draft.content
    assert result.draft.tone is Tone.FRIENDLY
    no_draft = await assess(
        setup,
        subject=SUBJECT,
        body=BODY,
        category=Category.BILLING,
        priority=Priority.MEDIUM,
        created_at=CREATED,
        with_draft=False,
    )
    assert no_draft.draft is None


async def test_an_llm_drafter_can_be_plugged_in(setup: WorkflowSetup) -> None:
    seen: list[DraftRequest] = []

    class FakeLLMDrafter:
        source = DraftSource.LLM

        async def draft(self, request: DraftRequest) -> Draft:
            seen.append(request)
            return Draft("generated", request.tone, ["check"], DraftSource.LLM)

    plugged = WorkflowSetup(routing=setup.routing, drafter=FakeLLMDrafter())
    result = await assess(
        plugged,
        subject="Down",
        body="Production is down for everyone",
        category=Category.TECHNICAL,
        priority=Priority.CRITICAL,
        created_at=CREATED,
        tone=Tone.FORMAL,
    )
    assert result.draft == Draft("generated", Tone.FORMAL, ["check"], DraftSource.LLM)
    (request,) = seen
    assert request.escalated and request.team_name == "escalation team"


def test_describe_a_suggestion() -> None:
    suggestion = Suggestion(Category.TECHNICAL, Priority.CRITICAL, 0.9, 0.8, "outage", "rules", [])
    text = "URGENT: Production down\nOur production API is down, every invoice export fails!!!"
    result = describe(suggestion, text)
    assert result.secondary_categories == [Category.BILLING]
    assert {"down", "api", "fails"} <= set(result.keywords_matched)
    assert "URGENT" in result.urgency_indicators
    assert any("down" in u for u in result.urgency_indicators)
    assert "!!!" not in result.urgency_indicators


def test_known_facts_join_without_duplicates() -> None:
    ours = [Fact("order_id", "ORD-1", 1.0), Fact("amount", "5.00 USD", 1.0)]
    theirs = [Fact("order_id", "ORD-1", 0.5), Fact("customer_tier", "gold", 1.0)]
    merged = merge_known(ours, theirs)
    assert [(f.name, f.value, f.confidence) for f in merged] == [
        ("order_id", "ORD-1", 1.0),
        ("amount", "5.00 USD", 1.0),
        ("customer_tier", "gold", 1.0),
    ]


async def test_routing_confidence(setup: WorkflowSetup) -> None:
    async def decision_for(category: Category, priority: Priority, text: str) -> float:
        result = await assess(
            setup,
            subject="s",
            body=text,
            category=category,
            priority=priority,
            created_at=CREATED,
            with_draft=False,
        )
        return routing_confidence(result.decision, 0.8, 0.5)

    assert await decision_for(Category.BILLING, Priority.LOW, "refund") == 0.76
    assert await decision_for(Category.TECHNICAL, Priority.CRITICAL, "down") == 0.475


def test_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKFLOW_ROUTING_FILE", str(tmp_path / "r.toml"))
    monkeypatch.setenv("WORKFLOW_DEFAULT_TONE", "formal")
    monkeypatch.setenv("WORKFLOW_PHONE_REGION", "gb")
    group = WorkflowSettings()
    assert group.routing_file == tmp_path / "r.toml"
    assert group.default_tone is Tone.FORMAL
    assert group.phone_region == "GB"
    monkeypatch.setenv("WORKFLOW_PHONE_REGION", "")
    assert WorkflowSettings().phone_region is None
    monkeypatch.setenv("WORKFLOW_PHONE_REGION", "XX")
    with pytest.raises(ValueError, match="unknown phone region"):
        WorkflowSettings()


def test_setup_refuses_a_malformed_routing_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[teams\n")
    settings = Settings(
        database_url="sqlite+aiosqlite://", workflow=WorkflowSettings(routing_file=path)
    )
    with pytest.raises(RoutingConfigError, match=r"bad\.toml:1: invalid TOML"):
        setup_for(settings)
