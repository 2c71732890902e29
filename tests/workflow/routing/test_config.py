"""The routing file is refused with file, line and reason when it is wrong."""

from datetime import timedelta
from pathlib import Path

import pytest

from supportdesk.config import ROOT
from supportdesk.taxonomy import Category, Priority
from supportdesk.workflow.routing.config import RoutingConfigError, load_routing, locate

VALID = """\
[teams]
billing_team = "billing team"
technical_support = "technical support team"
general_support = "support team"
escalation_team = "escalation team"

[defaults]
team = "general_support"

[escalation]
team = "escalation_team"

[sla]
critical = 1
high = 4

[[rules]]
name = "billing"
categories = ["billing"]
team = "billing_team"

[[rules]]
name = "tech"
categories = ["technical"]
priorities = ["high", "critical"]
keywords = ["api", "webhook"]
team = "technical_support"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routing.toml"
    path.write_text(text)
    return path


def refused(tmp_path: Path, text: str) -> RoutingConfigError:
    path = write(tmp_path, text)
    with pytest.raises(RoutingConfigError) as caught:
        load_routing(path)
    error = caught.value
    assert error.path == path
    assert str(error).startswith(f"{path}:")
    return error


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_shipped_file_loads() -> None:
    config = load_routing(ROOT / "config" / "routing.toml")
    assert config.escalation_team in config.teams
    assert config.sla[Priority.CRITICAL] == timedelta(hours=1)
    assert config.sla[Priority.LOW] == timedelta(hours=72)
    assert {team for rule in config.rules for team in [rule.team]} <= set(config.teams)


def test_a_valid_file_with_defaults_filled_in(tmp_path: Path) -> None:
    config = load_routing(write(tmp_path, VALID))
    assert config.default_team == "general_support"
    assert config.escalation_priorities == {Priority.CRITICAL}
    assert config.sla == {
        Priority.CRITICAL: timedelta(hours=1),
        Priority.HIGH: timedelta(hours=4),
        Priority.MEDIUM: timedelta(hours=24),  # not in the file: the default
        Priority.LOW: timedelta(hours=72),
    }
    tech = config.rules[1]
    assert tech.categories == {Category.TECHNICAL}
    assert tech.priorities == {Priority.HIGH, Priority.CRITICAL}
    assert tech.keywords == ("api", "webhook")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RoutingConfigError, match="file not found"):
        load_routing(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        (VALID.replace('team = "general_support"', 'team = "general_support'), 8),
        (VALID.replace("[sla]", "[sla"), 13),
        (VALID.replace("high = 4", "high = 4\nhigh = 5"), 16),
        (VALID.replace('categories = ["billing"]', 'categories = ["billing",'), 20),
    ],
)
def test_syntax_errors_give_the_line(tmp_path: Path, broken: str, line: int) -> None:
    error = refused(tmp_path, broken)
    assert error.line == line
    assert "invalid TOML" in error.reason
    assert f":{line}: invalid TOML" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "needle", "reason"),
    [
        (
            'categories = ["billing"]',
            'categories = ["billing", "sales"]',
            '"sales"',
            "rules[0].categories: unknown category 'sales'",
        ),
        (
            'priorities = ["high", "critical"]',
            'priorities = ["high", "urgent"]',
            '"urgent"',
            "rules[1].priorities: unknown priority 'urgent'",
        ),
        (
            'team = "technical_support"\n',
            'team = "tech_team"\n',
            '"tech_team"',
            "rules[1].team: unknown team 'tech_team'",
        ),
        (
            'team = "escalation_team"',
            'team = "escalations"',
            '"escalations"',
            "escalation.team: unknown team 'escalations'",
        ),
        (
            'team = "general_support"\n\n[escalation]',
            'team = "nobody"\n\n[escalation]',
            '"nobody"',
            "defaults.team: unknown team 'nobody'",
        ),
        ("high = 4", "high = -4", "high = -4", "sla.high: must be a positive number of hours"),
        ("high = 4", "high = 0", "high = 0", "sla.high: must be a positive number of hours"),
        ("high = 4", 'high = "4h"', "high =", "sla.high: must be a number of hours"),
        ("high = 4", "urgent = 4", "urgent", "sla.urgent: unknown priority"),
        (
            'keywords = ["api", "webhook"]',
            'keywords = ["api", ""]',
            "keywords",
            "rules[1].keywords: keywords must be non-empty strings",
        ),
        (
            'name = "tech"',
            'name = "tech"\nteams = "x"',
            "teams = ",
            "rules[1].teams: unknown key",
        ),
        ("[sla]", "[slas]", "[slas]", "slas: unknown key"),
        (
            'billing_team = "billing team"',
            'Billing-Team = "billing team"',
            "Billing-Team",
            "teams.Billing-Team: team ids are lower_snake_case",
        ),
    ],
)
def test_semantic_errors_point_at_the_key(
    tmp_path: Path, old: str, new: str, needle: str, reason: str
) -> None:
    assert old in VALID
    text = VALID.replace(old, new, 1)
    error = refused(tmp_path, text)
    assert error.reason.startswith(reason), error.reason
    assert error.line == line_of(text, needle), str(error)


def test_a_rule_without_conditions_points_at_its_header(tmp_path: Path) -> None:
    text = VALID + '\n[[rules]]\nname = "catch all"\nteam = "general_support"\n'
    error = refused(tmp_path, text)
    assert "a rule needs at least one of categories, priorities, keywords" in error.reason
    assert error.line == len(VALID.splitlines()) + 2  # the third [[rules]] header


def test_a_rule_without_team(tmp_path: Path) -> None:
    text = VALID.replace('team = "billing_team"\n', "", 1)
    error = refused(tmp_path, text)
    assert error.reason == "rules[0]: a rule needs a team"
    assert error.line == line_of(text, "[[rules]]")


def test_missing_tables(tmp_path: Path) -> None:
    assert refused(tmp_path, "[defaults]\nteam = 'x'\n").reason == "missing table [teams]"
    text = VALID.replace('[escalation]\nteam = "escalation_team"\n', "")
    assert refused(tmp_path, text).reason == "missing table [escalation]"


def test_inline_and_dotted_forms_are_located(tmp_path: Path) -> None:
    text = VALID.replace("[sla]\ncritical = 1\nhigh = 4\n", "sla = { critical = 1, high = -1 }\n")
    assert refused(tmp_path, text).line == line_of(text, "sla = {")
    dotted = VALID.replace("[sla]\ncritical = 1\nhigh = 4\n", "").replace(
        "[teams]", "sla.high = -2\n\n[teams]"
    )
    assert refused(tmp_path, dotted).line == 1


def test_locate() -> None:
    text = '[a]\nx = 1\n\n[[r]]\ny = 1\n\n[[r]]\n"y" = 2\n'
    assert locate(text, ("a",)) == 1
    assert locate(text, ("a", "x")) == 2
    assert locate(text, ("r", 1, "y")) == 8
    assert locate(text, ("r", 1)) == 7
    assert locate(text, ("r", 0, "missing")) == 4  # falls back to the table's header
    assert locate(text, ("nowhere",)) is None
