"""The agent's ticket page: the ticket, its thread, its timeline and the workflow's work,
read in one request."""
