"""Batch analysis runs: per-ticket results in the background and an executive summary."""
