"""The labels every ticket carries, and the tones its replies are drafted in. One
definition, used by the API, the models, the settings and the DB."""

import re
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

# A team's id, as routing names it and tickets store it (tickets.team is String(48)).
TEAM_ID = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


class Category(StrEnum):
    BILLING = "billing"
    TECHNICAL = "technical"
    ACCOUNT = "account"
    GENERAL = "general"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical: priority order is not alphabetical."""
        return list(Priority).index(self)


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


DONE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
ACTIVE_STATUSES = frozenset({Status.OPEN, Status.IN_PROGRESS})


class LabelSource(StrEnum):
    """Who chose a ticket's category/priority: the submitter or the AI triage."""

    USER = "user"
    AI = "ai"


class Tone(StrEnum):
    """How a reply draft sounds."""

    FRIENDLY = "friendly"
    FORMAL = "formal"
    EMPATHETIC = "empathetic"


class EveryLabel:
    """`Annotated[dict[Category, V], EveryLabel(Category)]`: a value for every label, as a
    breakdown has. Its schema names each key (`{"billing": V, ..., "general": V}`, all
    required) instead of `dict[str, V]`, so the UI's generated type is exact too."""

    def __init__(self, labels: type[StrEnum]) -> None:
        self.labels = labels

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._complete, handler(source))

    def _complete(self, value: dict[Any, Any]) -> dict[Any, Any]:
        missing = [label.value for label in self.labels if label not in value]
        if missing:
            raise ValueError(f"no value for {', '.join(missing)}")
        return value

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = handler(schema).get("additionalProperties", {})
        names = [label.value for label in self.labels]
        return {
            "type": "object",
            "properties": dict.fromkeys(names, value),
            "required": names,
            "additionalProperties": False,
        }


V = TypeVar("V")
PerCategory = Annotated[dict[Category, V], EveryLabel(Category)]
PerPriority = Annotated[dict[Priority, V], EveryLabel(Priority)]
PerStatus = Annotated[dict[Status, V], EveryLabel(Status)]
