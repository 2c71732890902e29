"""`supportdesk seed`: demo tickets, with the local model's suggestions when asked."""

import os
import sqlite3

from typer.testing import CliRunner

from supportdesk.cli import app


def stored(columns: str) -> list[tuple[object, ...]]:
    path = os.environ["DATABASE_URL"].split(":///", 1)[1]
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT {columns} FROM tickets ORDER BY id").fetchall()


def test_seed_with_ai_stores_what_triage_suggested(sqlite_env: None) -> None:
    result = CliRunner().invoke(app, ["seed", "--count", "40", "--ai", "--no-workflow"])
    assert result.exit_code == 0, result.output

    rows = stored("category, priority, ai_category, ai_priority, category_source, ai_provider")
    assert len(rows) == 40
    assert all(provider and str(provider).startswith("local:") for *_, provider in rows)
    for category, _, ai_category, _, source, _ in rows:
        assert source == ("ai" if ai_category == category else "user")
    # The model agrees with most demo labels (the acceptance figures are real ones).
    agreed = sum(category == ai_category for category, _, ai_category, *_ in rows)
    assert 20 <= agreed <= 40


def test_seed_without_ai_leaves_the_suggestion_empty(sqlite_env: None) -> None:
    result = CliRunner().invoke(app, ["seed", "--count", "5", "--no-workflow"])
    assert result.exit_code == 0, result.output
    assert stored("ai_category, ai_provider") == [(None, None)] * 5
