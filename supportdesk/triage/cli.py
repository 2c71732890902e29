"""`supportdesk triage ...`: build the shipped heads, evaluate, retrain, roll back."""

import asyncio
from pathlib import Path

import typer

from supportdesk.config import get_settings
from supportdesk.db import Database
from supportdesk.errors import Conflict
from supportdesk.migrate import upgrade
from supportdesk.triage.engine import TriageEngine
from supportdesk.triage.model.embeddings import load_embedder
from supportdesk.triage.model.local import LocalClassifier
from supportdesk.triage.training import versions
from supportdesk.triage.training.bank import load_bank, read_examples, split_bank
from supportdesk.triage.training.evaluation import evaluate_file, summary_lines, write_report

app = typer.Typer(
    help="The triage model: build, evaluate, retrain, roll back.", no_args_is_help=True
)


@app.command()
def build(if_changed: bool = typer.Option(False, help="only if the example bank changed")) -> None:
    """Train the shipped heads on the example bank's training part (seconds)."""
    settings = get_settings().triage
    if if_changed and versions.base_is_current(settings.heads_dir):
        typer.echo("heads are up to date with the example bank")
        return
    metrics = versions.build_base(load_embedder(settings.model_dir), settings.heads_dir)
    typer.echo(f"heads built; held-out bank: {metrics}")


async def _active_local() -> LocalClassifier:
    settings = get_settings()
    database = Database(settings.database_url)
    async with database.transaction() as session:
        active = await versions.active_model(session, settings.triage.heads_dir)
    await database.dispose()
    embedder = load_embedder(settings.triage.model_dir)
    return LocalClassifier(embedder, active.heads, active.version, settings.triage.review_threshold)


@app.command("eval")
def evaluate(
    file: Path = typer.Argument(
        ..., exists=True, help="CSV: title, description, category, priority"
    ),
    report_dir: Path = typer.Option(Path("reports"), help="where report.md and PNGs go"),
    held_out: bool = typer.Option(False, help="evaluate on the held-out part of FILE only"),
) -> None:
    """Accuracy, macro-F1, per-class precision/recall, confusion, latency; writes a report."""
    upgrade(get_settings().database_url)
    try:
        examples = read_examples(file)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if held_out:
        examples = [e for e in examples if e.held_out]
    if not examples:
        typer.echo(f"error: {file}: no tickets to evaluate", err=True)
        raise typer.Exit(2)
    classifier = asyncio.run(_active_local())
    evaluation = evaluate_file(classifier, file.stem, examples)
    for line in summary_lines(evaluation):
        typer.echo(line)
    path = write_report(evaluation, report_dir / file.stem, classifier.version)
    typer.echo(f"report: {path}")


@app.command("eval-bank")
def evaluate_bank(report_dir: Path = typer.Option(Path("reports"))) -> None:
    """Evaluate on the held-out 20% of our example bank (never trained on)."""
    upgrade(get_settings().database_url)
    classifier = asyncio.run(_active_local())
    _, held_out = split_bank(load_bank())
    evaluation = evaluate_file(classifier, "bank-held-out", held_out)
    for line in summary_lines(evaluation):
        typer.echo(line)
    typer.echo(
        f"report: {write_report(evaluation, report_dir / 'bank-held-out', classifier.version)}"
    )


async def _retrain() -> dict[str, object]:
    settings = get_settings()
    database = Database(settings.database_url)
    engine = TriageEngine(settings, database)
    engine.embedder = load_embedder(settings.triage.model_dir)
    result = await engine.retrain()
    await database.dispose()
    return result


@app.command()
def retrain() -> None:
    """Retrain on the example bank plus agents' corrections; activate only if not worse."""
    upgrade(get_settings().database_url)
    typer.echo(asyncio.run(_retrain()))


async def _rollback() -> str:
    database = Database(get_settings().database_url)
    async with database.transaction() as session:
        version = await versions.rollback(session)
    await database.dispose()
    return version


@app.command()
def rollback() -> None:
    """Activate the previous model version (the shipped heads when there is none)."""
    upgrade(get_settings().database_url)
    try:
        typer.echo(f"active model: {asyncio.run(_rollback())}")
    except Conflict as conflict:
        typer.echo(f"error: {conflict.detail}", err=True)
        raise typer.Exit(2) from None


async def _versions() -> list[str]:
    database = Database(get_settings().database_url)
    async with database.transaction() as session:
        rows = await versions.list_versions(session)
    await database.dispose()
    return [
        f"v{r.id} {'ACTIVE ' if r.active else ''}{r.created_at:%Y-%m-%d %H:%M} "
        f"examples={r.examples} corrections={r.corrections} {r.metrics} {r.note}"
        for r in rows
    ]


@app.command("versions")
def list_versions() -> None:
    """Every trained version with its held-out figures."""
    upgrade(get_settings().database_url)
    for line in asyncio.run(_versions()) or ["only the shipped heads (base)"]:
        typer.echo(line)
