"""Ticket workflow: extracted facts, routing + SLA, and reply drafts."""
