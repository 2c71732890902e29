"""HTTP benchmark of the supportdesk API: `uv run python -m bench.run` (see bench/README.md)."""
