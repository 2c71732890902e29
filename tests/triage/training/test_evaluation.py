"""`supportdesk triage eval FILE.csv`: figures on the console and a Markdown report."""

import csv
from pathlib import Path

import pytest
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


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\n", "no column category, description"),
        ("", "no column category, description"),
        ("title,description,category,priority\n", "no tickets to evaluate"),
        ("title,description,category,priority\n,   ,billing,low\n", "no tickets to evaluate"),
    ],
)
def test_eval_says_what_is_wrong_with_a_file_it_cannot_use(
    sqlite_env: None, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(content)
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_eval_refuses_a_file_that_is_not_text(sqlite_env: None, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00title,description\x00\x9c")
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2 and "not UTF-8 text" in result.output


def test_rollback_with_nothing_to_roll_back_to_is_one_line(sqlite_env: None) -> None:
    result = CliRunner().invoke(app, ["rollback"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: the base model is active; there is nothing to roll back to"
    )


def test_eval_reads_a_csv_saved_with_a_byte_order_mark(sqlite_env: None, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    rows = "description,category,priority\nI was charged twice this month,billing,medium\n"
    path.write_bytes(b"\xef\xbb\xbf" + rows.encode())
    result = CliRunner().invoke(app, ["eval", str(path), "--report-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "(1 tickets)" in result.output
