"""Which team gets a ticket and when a response is due, from the routing file's rules.

Rules are tried in file order: the first that matches decides the team, the others (and
the rules that a secondary category would match) become alternatives. An escalation
priority (critical by default) overrides the team; the team the rules chose stays first
among the alternatives, so nobody loses sight of who owns the subject.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from supportdesk.taxonomy import Category, Priority
from supportdesk.workflow.routing.config import RoutingConfig, Rule


@dataclass(frozen=True)
class RoutingDecision:
    team: str
    priority: Priority
    reasoning: str
    alternatives: tuple[str, ...]
    sla_hours: float
    due_at: datetime | None
    rule: str | None
    escalated: bool


def _matches(rule: Rule, category: Category, priority: Priority, text: str) -> bool:
    if rule.categories and category not in rule.categories:
        return False
    if rule.priorities and priority not in rule.priorities:
        return False
    return rule.pattern is None or rule.pattern.search(text) is not None


def _why(rule: Rule, category: Category, priority: Priority, text: str) -> str:
    """The ticket as the rule saw it, e.g. 'a billing ticket of high priority that
    mentions "refund"'."""
    article = "an" if category.value[0] in "aeiou" else "a"  # an account ticket
    kind = f"{article} {category.value} ticket" if rule.categories else "a ticket"
    if rule.priorities:
        kind += f" of {priority.value} priority"
    found = rule.pattern.search(text) if rule.pattern is not None else None
    if found:
        kind += f' that mentions "{found.group(0).lower()}"'
    return kind


def route(
    config: RoutingConfig,
    *,
    category: Category,
    priority: Priority,
    text: str,
    secondary_categories: Sequence[Category] = (),
    created_at: datetime | None = None,
) -> RoutingDecision:
    """Decide the team, alternatives, reasoning and `due_at` (created_at + SLA target)."""
    matched = [rule for rule in config.rules if _matches(rule, category, priority, text)]
    related = [
        rule
        for other in secondary_categories
        if other != category
        for rule in config.rules
        if rule.categories and _matches(rule, other, priority, text)
    ]
    if matched:
        first = matched[0]
        owner = first.team
        why = (
            f"{_why(first, category, priority, text).capitalize()}, so it goes to the "
            f'{config.teams[owner]} (routing rule "{first.name}").'
        )
    else:
        first = None
        owner = config.default_team
        why = f"No routing rule fits, so it goes to the {config.teams[owner]}, the default."
    team = owner
    escalated = priority in config.escalation_priorities
    if escalated:
        team = config.escalation_team
        why += f" {priority.value.capitalize()} priority escalates it to the "
        why += f"{config.teams[team]}."
    sla = config.sla[priority]
    hours = sla.total_seconds() / 3600
    why += f" A reply is due within {_hours(hours)} ({priority.value} priority)."
    candidates = [owner, *(r.team for r in matched[1:]), *(r.team for r in related)]
    alternatives = tuple(t for t in dict.fromkeys(candidates) if t != team)
    return RoutingDecision(
        team=team,
        priority=priority,
        reasoning=why,
        alternatives=alternatives,
        sla_hours=hours,
        due_at=created_at + sla if created_at is not None else None,
        rule=first.name if first else None,
        escalated=escalated,
    )


def _hours(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours == int(hours):
        return f"{int(hours)} h"
    return f"{hours:g} h"
