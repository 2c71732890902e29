"""`supportdesk analyze` on SQLite: the run's jobs execute in the command's own process."""

from typer.testing import CliRunner

from supportdesk.analysis.cli import app
from supportdesk.cli import app as main_app


def test_analyze_runs_in_process_and_prints_the_summary(sqlite_env: None) -> None:
    runner = CliRunner()
    seeded = runner.invoke(main_app, ["seed", "--count", "40"])
    assert seeded.exit_code == 0, seeded.output

    first = runner.invoke(app, [])
    assert first.exit_code == 0, first.output
    assert "run #1: 40 tickets" in first.output
    assert "run #1: completed; 40 analysed, 0 failed of 40" in first.output
    assert "Main themes:" in first.output and "Open critical tickets" in first.output

    nothing = runner.invoke(app, [])
    assert nothing.exit_code == 1
    assert "nothing to analyse" in nothing.output

    some = runner.invoke(app, ["--ids", "1,2,999"])
    assert some.exit_code == 0, some.output
    assert "run #2: completed; 2 analysed, 1 failed of 3" in some.output
    # Run 1 took every ticket, run 2 chosen ones: there is nothing fair to compare.
    assert "Changes are against" not in some.output
    others = runner.invoke(app, ["--ids", "1,2"])
    assert "Changes are against" not in others.output  # other tickets than run 2's
    again = runner.invoke(app, ["--ids", "999,2,1"])
    assert "Changes are against run #2" in again.output

    shown = runner.invoke(app, ["show", "2"])
    assert shown.exit_code == 0 and "1 failed (1 unknown ticket)" in shown.output
    assert runner.invoke(app, ["--ids", "1", "--status", "open"]).exit_code == 2
