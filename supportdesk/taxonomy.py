"""The labels every ticket carries. One definition, used by the API, the models and the DB."""

from enum import StrEnum


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
