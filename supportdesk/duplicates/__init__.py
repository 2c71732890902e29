"""Duplicate tickets: embedding similarity over recent open tickets, and merging."""
