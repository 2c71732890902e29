"""Macros: saved replies with placeholders (Liquid, sandboxed) and actions, shared or per
team, applied from the composer; the one that fits a ticket is suggested."""
