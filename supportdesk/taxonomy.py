"""The labels every ticket carries, and the tones its replies are drafted in. One
definition, used by the API, the models, the settings and the DB."""

import re
from enum import StrEnum

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


class LabelSource(StrEnum):
    """Who chose a ticket's category/priority: the submitter or the AI triage."""

    USER = "user"
    AI = "ai"


class Tone(StrEnum):
    """How a reply draft sounds."""

    FRIENDLY = "friendly"
    FORMAL = "formal"
    EMPATHETIC = "empathetic"
