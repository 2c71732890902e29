"""`supportdesk triage eval FILE.csv`: figures, a Markdown report and confusion-matrix PNGs."""

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.bank import Example
from supportdesk.triage.local import LocalClassifier
from supportdesk.triage.metrics import Report, score, within_one

LATENCY_SAMPLE = 200


@dataclass(frozen=True)
class Evaluation:
    name: str
    category: Report
    priority: Report | None
    priority_within_one: float | None
    latency_p50_ms: float
    latency_p99_ms: float
    batch_per_second: float


def evaluate_file(
    classifier: LocalClassifier, name: str, examples: Sequence[Example]
) -> Evaluation:
    started = time.perf_counter()
    suggestions = classifier.classify_many([(e.title, e.description) for e in examples])
    batch_rate = len(examples) / (time.perf_counter() - started)
    latencies = []
    for example in examples[:LATENCY_SAMPLE]:
        start = time.perf_counter()
        classifier.classify_text(example.title, example.description)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()

    category = score(
        [e.category.value for e in examples],
        [s.category.value for s in suggestions],
        list(Category),
    )
    rated = [(e, s) for e, s in zip(examples, suggestions, strict=True) if e.priority is not None]
    priority = within = None
    if rated:
        priority = score(
            [e.priority.value for e, _ in rated],  # type: ignore[union-attr]
            [s.priority.value for _, s in rated],
            list(Priority),
        )
        within = within_one(
            [e.priority.rank for e, _ in rated],  # type: ignore[union-attr]
            [s.priority.rank for _, s in rated],
        )
    return Evaluation(
        name=name,
        category=category,
        priority=priority,
        priority_within_one=within,
        latency_p50_ms=statistics.median(latencies),
        latency_p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        batch_per_second=batch_rate,
    )


def _report_table(report: Report) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    lines += [
        f"| {c.label} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.support} |"
        for c in report.per_class
    ]
    lines += ["", "Confusion (rows: truth, columns: predicted)", ""]
    lines += ["| | " + " | ".join(report.labels) + " |", "|---" * (len(report.labels) + 1) + "|"]
    lines += [
        f"| **{label}** | " + " | ".join(str(n) for n in row) + " |"
        for label, row in zip(report.labels, report.confusion, strict=True)
    ]
    return lines


def summary_lines(evaluation: Evaluation) -> list[str]:
    lines = [
        f"category accuracy {evaluation.category.accuracy:.3f}, "
        f"macro-F1 {evaluation.category.macro_f1:.3f} ({evaluation.category.count} tickets)"
    ]
    if evaluation.priority is not None:
        lines.append(
            f"priority accuracy {evaluation.priority.accuracy:.3f}, "
            f"macro-F1 {evaluation.priority.macro_f1:.3f}, "
            f"within one level {evaluation.priority_within_one:.3f}"
        )
    lines.append(
        f"latency per ticket p50 {evaluation.latency_p50_ms:.1f} ms, "
        f"p99 {evaluation.latency_p99_ms:.1f} ms; batch {evaluation.batch_per_second:.0f} tickets/s"
    )
    return lines


def write_report(evaluation: Evaluation, directory: Path, model_version: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [f"# Triage evaluation: {evaluation.name}", "", f"Model version: {model_version}", ""]
    lines += [f"- {line}" for line in summary_lines(evaluation)]
    for field, report in (("category", evaluation.category), ("priority", evaluation.priority)):
        if report is None:
            continue
        image = directory / f"{field}-confusion.png"
        plot_confusion(report, image, f"{evaluation.name}: {field}")
        lines += [
            "",
            f"## {field.capitalize()}",
            "",
            *_report_table(report),
            "",
            f"![{field}]({image.name})",
        ]
    path = directory / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plot_confusion(report: Report, path: Path, title: str) -> None:
    import matplotlib  # only the eval command draws; keep it out of the server

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 4.2))
    axes.imshow(report.confusion, cmap="Blues")
    axes.set_xticks(range(len(report.labels)), report.labels, rotation=30)
    axes.set_yticks(range(len(report.labels)), report.labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("truth")
    axes.set_title(title)
    peak = max(max(row) for row in report.confusion) or 1
    for i, row in enumerate(report.confusion):
        for j, n in enumerate(row):
            axes.text(
                j, i, str(n), ha="center", va="center", color="white" if n > peak / 2 else "black"
            )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
