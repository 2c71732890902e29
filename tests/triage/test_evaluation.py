"""`supportdesk triage eval FILE.csv`: figures on the console and a Markdown report."""

import csv
from pathlib import Path

from typer.testing import CliRunner

from supportdesk.triage.cli import app

ROWS = [
    ("Charged twice", "I was charged twice for my plan this month", "billing", "medium"),
    ("", "The app crashes every time I open the dashboard", "technical", "high"),
    ("Reset email", "I never receive the password reset email", "account", "medium"),
    ("", "Do you have a dark mode?", "general", "low"),
    ("", "What does the platform fee on my invoice cover?", "billing", ""),
]


def test_eval_prints_figures_and_writes_a_report(sqlite_env: None, tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["title", "description", "category", "priority"])
        writer.writerows(ROWS)

    result = CliRunner().invoke(app, ["eval", str(path), "--report-dir", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    assert "category accuracy" in result.output and "(5 tickets)" in result.output
    # Priority is judged on the four rows that have one.
    assert "within one level" in result.output
    assert result.output.count("calibration error") == 2
    report = (tmp_path / "out" / "sample" / "report.md").read_text()
    assert "| billing |" in report and "Confusion" in report
    for image in ("category-confusion.png", "priority-confusion.png"):
        assert (tmp_path / "out" / "sample" / image).stat().st_size > 1000


def test_eval_refuses_a_file_with_an_unknown_label(sqlite_env: None, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,description,category,priority\n,hello,refunds,low\n")
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code != 0
    assert "refunds" in result.output
