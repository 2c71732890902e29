"""Routing decisions: rules in order, escalation, alternatives, reasoning and SLA due time."""

from datetime import UTC, datetime, timedelta

import pytest

from supportdesk.config import ROOT
from supportdesk.taxonomy import Category, Priority
from supportdesk.workflow.routing.config import RoutingConfig, load_routing
from supportdesk.workflow.routing.route import route

CREATED = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def config() -> RoutingConfig:
    return load_routing(ROOT / "config" / "routing.toml")


@pytest.mark.parametrize(
    ("category", "priority", "text", "team"),
    [
        ("technical", "high", "App crashes on startup with ERR-5003", "technical_support"),
        ("billing", "high", "Double charged for my subscription", "billing_team"),
        ("account", "high", "Locked out after a password reset", "account_management"),
        ("general", "low", "Would be nice to have a dark mode", "product_team"),
        ("general", "low", "How do I share a report?", "general_support"),
        ("technical", "critical", "Production system down, data loss", "escalation_team"),
        ("account", "medium", "I think my account was hacked yesterday", "account_management"),
    ],
)
def test_teams(config: RoutingConfig, category: str, priority: str, text: str, team: str) -> None:
    decision = route(config, category=Category(category), priority=Priority(priority), text=text)
    assert decision.team == team


@pytest.mark.parametrize(
    ("priority", "hours"),
    [("critical", 1), ("high", 4), ("medium", 24), ("low", 72)],
)
def test_due_at_follows_the_sla_target(config: RoutingConfig, priority: str, hours: int) -> None:
    decision = route(
        config,
        category=Category.TECHNICAL,
        priority=Priority(priority),
        text="Export fails",
        created_at=CREATED,
    )
    assert decision.sla_hours == hours
    assert decision.due_at == CREATED + timedelta(hours=hours)
    assert f"{hours} h" in decision.reasoning


def test_no_created_at_no_due_at(config: RoutingConfig) -> None:
    decision = route(config, category=Category.GENERAL, priority=Priority.LOW, text="hi")
    assert decision.due_at is None


def test_critical_escalates_and_keeps_the_owner_as_first_alternative(
    config: RoutingConfig,
) -> None:
    decision = route(
        config,
        category=Category.BILLING,
        priority=Priority.CRITICAL,
        text="Payment processing is completely down. All transactions failing.",
        secondary_categories=[Category.TECHNICAL],
    )
    assert decision.team == "escalation_team"
    assert decision.escalated
    assert decision.alternatives == ("billing_team", "technical_support")
    assert "escalates it to the escalation team" in decision.reasoning
    assert decision.reasoning.startswith(
        'A billing ticket, so it goes to the billing team (routing rule "billing").'
    )


def test_later_matches_become_alternatives(config: RoutingConfig) -> None:
    decision = route(
        config,
        category=Category.TECHNICAL,
        priority=Priority.MEDIUM,
        text="The invoice PDF export throws an error",
    )
    assert decision.team == "technical_support"
    assert decision.alternatives == ("billing_team",)
    assert not decision.escalated


def test_keyword_rules_come_first_and_explain_themselves(config: RoutingConfig) -> None:
    decision = route(
        config,
        category=Category.ACCOUNT,
        priority=Priority.HIGH,
        text="Someone COMPROMISED my account",
    )
    assert decision.rule == "account security"
    assert 'mentions "compromised"' in decision.reasoning


def test_keywords_are_whole_words(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("routing") / "r.toml"
    path.write_text(
        '[teams]\na = "team a"\nb = "team b"\nx = "escalation"\n'
        '[defaults]\nteam = "b"\n[escalation]\nteam = "x"\n'
        '[[rules]]\nkeywords = ["api", "time out"]\nteam = "a"\n'
    )
    config = load_routing(path)

    def team(text: str) -> str:
        return route(config, category=Category.GENERAL, priority=Priority.LOW, text=text).team

    assert team("the API fails") == "a"
    assert team("calls time   out") == "a"
    assert team("rapid growth") == "b"  # "api" inside a word does not count
    assert team("anything else") == "b"
    unmatched = route(config, category=Category.GENERAL, priority=Priority.LOW, text="hm")
    assert unmatched.rule is None
    assert "No routing rule fits" in unmatched.reasoning


def test_same_input_same_decision(config: RoutingConfig) -> None:
    kwargs = {
        "category": Category.BILLING,
        "priority": Priority.HIGH,
        "text": "refund please",
        "created_at": CREATED,
    }
    assert route(config, **kwargs) == route(config, **kwargs)  # type: ignore[arg-type]


def test_the_reasoning_reads_as_english(config: RoutingConfig) -> None:
    decision = route(config, category=Category.ACCOUNT, priority=Priority.LOW, text="hi")
    assert decision.reasoning.startswith("An account ticket, so it goes to the account team")
