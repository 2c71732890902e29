"""Load and check the routing file (TOML). A mistake stops start-up with file, line, reason.

tomllib reports syntax errors with a line; for a value that is well-formed TOML but wrong
(an unknown team, a negative SLA) we find the line of the offending table or key ourselves.
"""

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from supportdesk.taxonomy import TEAM_ID, Category, Priority

DEFAULT_SLA_HOURS = {
    Priority.CRITICAL: 1.0,
    Priority.HIGH: 4.0,
    Priority.MEDIUM: 24.0,
    Priority.LOW: 72.0,
}
TOP_LEVEL = ("teams", "defaults", "escalation", "sla", "rules")
RULE_KEYS = ("name", "team", "categories", "priorities", "keywords")
LONGEST_SLA_HOURS = 24 * 365

KeyPath = tuple[str | int, ...]  # where a value sits, e.g. ("rules", 2, "team")


class RoutingConfigError(Exception):
    """The routing file is unusable; `str()` reads "path:line: reason"."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Rule:
    name: str
    team: str
    categories: frozenset[Category]
    priorities: frozenset[Priority]
    keywords: tuple[str, ...]
    pattern: re.Pattern[str] | None


@dataclass(frozen=True)
class RoutingConfig:
    teams: dict[str, str]  # id -> how drafts and reasons name it ("billing team")
    default_team: str
    escalation_team: str
    escalation_priorities: frozenset[Priority]
    sla: dict[Priority, timedelta]
    rules: tuple[Rule, ...]


# --- finding the line of a key -------------------------------------------------------------

HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(?:#.*)?$")
KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")


def locate(text: str, where: KeyPath) -> int | None:
    """The 1-based line of `where` (e.g. ("rules", 2, "team") or ("sla", "high")): the key's
    own line when it is written, else its table's header, else None."""
    if not where:
        return None
    table, rest = str(where[0]), list(where[1:])
    index = rest.pop(0) if rest and isinstance(rest[0], int) else None
    key = str(rest[0]) if rest else None
    current: str | None = None  # the table the line belongs to; None at the top level
    seen: dict[str, int] = {}  # how many [[name]] headers so far
    inside = False
    fallback: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = HEADER.match(line)
        if header:
            current = ".".join(part.strip().strip("\"'") for part in header.group(2).split("."))
            if header.group(1) == "[[":
                seen[current] = seen.get(current, -1) + 1
            inside = current == table and (index is None or seen.get(current) == index)
            if inside and key is None:
                return number
            if inside or (index is None and current == f"{table}.{key}"):
                fallback = fallback or number
            continue
        found = KEY.match(line)
        if not found:
            continue
        written = next(g for g in found.groups() if g is not None)
        if current is None and written == f"{table}.{key}":
            return number
        if current is None and written == table:
            if key is None:
                return number
            fallback = fallback or number  # an inline table: `sla = { high = -4 }`
        elif inside and written == key:
            return number
    return fallback


# --- checking ------------------------------------------------------------------------------


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, where: KeyPath, reason: str) -> RoutingConfigError:
        dotted = ".".join(f"[{p}]" if isinstance(p, int) else p for p in where).replace(".[", "[")
        return RoutingConfigError(self.path, locate(self.text, where), f"{dotted}: {reason}")

    def table(self, data: dict[str, Any], key: str, required: bool) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                raise RoutingConfigError(self.path, None, f"missing table [{key}]")
            return {}
        if not isinstance(value, dict):
            raise self.fail((key,), "must be a table")
        return value

    def team(self, teams: dict[str, str], where: KeyPath, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "must be a team id (a string)")
        if value not in teams:
            raise self.fail(
                where, f"unknown team {value!r}; declared in [teams]: {', '.join(teams)}"
            )
        return value

    def choices(
        self, where: KeyPath, value: Any, enum: type[Category] | type[Priority]
    ) -> list[Any]:
        kind = enum.__name__.lower()
        if not isinstance(value, list) or not value:
            raise self.fail(where, f"must be a non-empty list of {kind} names")
        allowed = ", ".join(e.value for e in enum)
        for item in value:
            if not isinstance(item, str) or item not in enum._value2member_map_:
                raise self.fail(where, f"unknown {kind} {item!r}; one of: {allowed}")
        return [enum(item) for item in value]

    def unknown_keys(self, where: KeyPath, data: dict[str, Any], known: Sequence[str]) -> None:
        for key in data:
            if key not in known:
                raise self.fail((*where, key), f"unknown key; expected one of: {', '.join(known)}")

    def teams(self, data: dict[str, Any]) -> dict[str, str]:
        raw = self.table(data, "teams", required=True)
        if not raw:
            raise self.fail(("teams",), "declare at least one team")
        teams: dict[str, str] = {}
        for team, label in raw.items():
            if not TEAM_ID.match(team):
                raise self.fail(
                    ("teams", team), "team ids are lower_snake_case, at most 48 characters"
                )
            if not isinstance(label, str) or not label.strip():
                raise self.fail(("teams", team), "must be the team's display name (a string)")
            teams[team] = label.strip()
        return teams

    def sla(self, data: dict[str, Any]) -> dict[Priority, timedelta]:
        raw = self.table(data, "sla", required=False)
        hours = dict(DEFAULT_SLA_HOURS)
        for key, value in raw.items():
            if key not in Priority._value2member_map_:
                allowed = ", ".join(p.value for p in Priority)
                raise self.fail(("sla", key), f"unknown priority; one of: {allowed}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.fail(("sla", key), "must be a number of hours")
            if not 0 < value <= LONGEST_SLA_HOURS:
                raise self.fail(
                    ("sla", key), f"must be a positive number of hours up to a year, got {value}"
                )
            hours[Priority(key)] = float(value)
        return {priority: timedelta(hours=h) for priority, h in hours.items()}

    def keywords(self, where: KeyPath, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "must be a non-empty list of words or phrases")
        words = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.fail(where, f"keywords must be non-empty strings, got {item!r}")
            words.append(" ".join(item.lower().split()))
        return tuple(dict.fromkeys(words))

    def rule(self, index: int, raw: Any, teams: dict[str, str]) -> Rule:
        where: KeyPath = ("rules", index)
        if not isinstance(raw, dict):
            raise self.fail(("rules",), "rules are written as [[rules]] tables")
        self.unknown_keys(where, raw, RULE_KEYS)
        if "team" not in raw:
            raise self.fail(where, "a rule needs a team")
        team = self.team(teams, (*where, "team"), raw["team"])
        name = raw.get("name", f"rule {index + 1}")
        if not isinstance(name, str) or not name.strip():
            raise self.fail((*where, "name"), "must be a non-empty string")
        if not any(k in raw for k in ("categories", "priorities", "keywords")):
            raise self.fail(where, "a rule needs at least one of categories, priorities, keywords")
        categories = (
            self.choices((*where, "categories"), raw["categories"], Category)
            if "categories" in raw
            else []
        )
        priorities = (
            self.choices((*where, "priorities"), raw["priorities"], Priority)
            if "priorities" in raw
            else []
        )
        keywords = self.keywords((*where, "keywords"), raw["keywords"]) if "keywords" in raw else ()
        pattern = None
        if keywords:
            words = "|".join(r"\s+".join(map(re.escape, k.split())) for k in keywords)
            pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
        return Rule(
            name.strip(), team, frozenset(categories), frozenset(priorities), keywords, pattern
        )

    def config(self, data: dict[str, Any]) -> RoutingConfig:
        self.unknown_keys((), data, TOP_LEVEL)
        teams = self.teams(data)
        defaults = self.table(data, "defaults", required=True)
        self.unknown_keys(("defaults",), defaults, ("team",))
        if "team" not in defaults:
            raise self.fail(("defaults",), "missing key 'team' (where unmatched tickets go)")
        default_team = self.team(teams, ("defaults", "team"), defaults["team"])
        escalation = self.table(data, "escalation", required=True)
        self.unknown_keys(("escalation",), escalation, ("team", "priorities"))
        if "team" not in escalation:
            raise self.fail(("escalation",), "missing key 'team'")
        escalation_team = self.team(teams, ("escalation", "team"), escalation["team"])
        escalation_priorities = self.choices(
            ("escalation", "priorities"), escalation.get("priorities", ["critical"]), Priority
        )
        rules = data.get("rules", [])
        if not isinstance(rules, list):
            raise self.fail(("rules",), "rules are written as [[rules]] tables")
        return RoutingConfig(
            teams=teams,
            default_team=default_team,
            escalation_team=escalation_team,
            escalation_priorities=frozenset(escalation_priorities),
            sla=self.sla(data),
            rules=tuple(self.rule(i, raw, teams) for i, raw in enumerate(rules)),
        )


SYNTAX_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_routing(path: Path) -> RoutingConfig:
    """Read and check the routing file; raise RoutingConfigError naming file, line, reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RoutingConfigError(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RoutingConfigError(path, None, f"cannot read the file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = SYNTAX_LINE.search(message)
        line = int(position.group(1)) if position else None
        reason = SYNTAX_LINE.sub("", message).strip()
        if position:
            reason = f"{reason} (column {position.group(2)})"
        raise RoutingConfigError(path, line, f"invalid TOML: {reason}") from None
    return _Checker(path, text).config(data)
