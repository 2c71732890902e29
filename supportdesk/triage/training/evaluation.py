"""`supportdesk triage eval FILE.csv`: figures, a Markdown report and confusion-matrix PNGs."""

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.base import Suggestion
from supportdesk.triage.model.local import LocalClassifier
from supportdesk.triage.training.bank import Example
from supportdesk.triage.training.metrics import Report, calibration_error, score, within_one

LATENCY_SAMPLE = 200


@dataclass(frozen=True)
class Figures:
    """How suggestions compare with the labels: accuracy, confusion and calibration."""

    category: Report
    category_calibration_error: float
    priority: Report | None
    priority_within_one: float | None
    priority_calibration_error: float | None


def judge(examples: Sequence[Example], suggestions: Sequence[Suggestion]) -> Figures:
    pairs = list(zip(examples, suggestions, strict=True))
    category = score(
        [e.category.value for e, _ in pairs], [s.category.value for _, s in pairs], list(Category)
    )
    category_error = calibration_error(
        [s.category_confidence for _, s in pairs], [s.category == e.category for e, s in pairs]
    )
    rated = [(e.priority, s) for e, s in pairs if e.priority is not None]
    if not rated:
        return Figures(category, category_error, None, None, None)
    return Figures(
        category=category,
        category_calibration_error=category_error,
        priority=score(
            [p.value for p, _ in rated], [s.priority.value for _, s in rated], list(Priority)
        ),
        priority_within_one=within_one(
            [p.rank for p, _ in rated], [s.priority.rank for _, s in rated]
        ),
        priority_calibration_error=calibration_error(
            [s.priority_confidence for _, s in rated], [s.priority == p for p, s in rated]
        ),
    )


@dataclass(frozen=True)
class Evaluation:
    name: str
    figures: Figures
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
    return Evaluation(
        name=name,
        figures=judge(examples, suggestions),
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
    figures = evaluation.figures
    lines = [
        f"category accuracy {figures.category.accuracy:.3f}, "
        f"macro-F1 {figures.category.macro_f1:.3f} ({figures.category.count} tickets), "
        f"calibration error {figures.category_calibration_error:.3f}"
    ]
    if figures.priority is not None:
        lines.append(
            f"priority accuracy {figures.priority.accuracy:.3f}, "
            f"macro-F1 {figures.priority.macro_f1:.3f}, "
            f"within one level {figures.priority_within_one:.3f}, "
            f"calibration error {figures.priority_calibration_error:.3f}"
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
    lines += [
        "",
        "Calibration error is the expected calibration error over ten confidence bins: how far",
        "the stated confidence is from the share of right answers (0 = calibrated).",
    ]
    figures = evaluation.figures
    for field, report in (("category", figures.category), ("priority", figures.priority)):
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
