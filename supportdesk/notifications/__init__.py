"""Emails to agents: a ticket given to them, a customer's answer on one they hold (each a
setting of theirs)."""
