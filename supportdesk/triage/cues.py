"""The cue patterns triage reads a ticket by, for features that explain their decisions
with them (the workflow quotes them for routing)."""

from supportdesk.triage.model.signals import BLOCKED, CATEGORY_CUES, CRITICAL_CUES, SHOUTING

__all__ = ["BLOCKED", "CATEGORY_CUES", "CRITICAL_CUES", "SHOUTING"]
