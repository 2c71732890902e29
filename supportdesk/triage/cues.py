"""The cue patterns triage reads a ticket by, for features that explain their decisions
with them (the workflow quotes them for routing) or fit their replies to them (drafts)."""

from supportdesk.triage.model.signals import (
    BLOCKED,
    CATEGORY_CUES,
    CRITICAL_CUES,
    SHOUTING,
    Signals,
    read_signals,
)

__all__ = ["BLOCKED", "CATEGORY_CUES", "CRITICAL_CUES", "SHOUTING", "Signals", "read_signals"]
