"""Classification metrics without a heavy dependency: accuracy, macro-F1, confusion."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassReport:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    per_class: tuple[ClassReport, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: truth, columns: predicted
    count: int


def _ratio(a: float, b: int) -> float:
    return a / b if b else 0.0


def score(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Report:
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for t, p in zip(truth, predicted, strict=True):
        matrix[index[t]][index[p]] += 1
    per_class = []
    for i, label in enumerate(labels):
        hits = matrix[i][i]
        precision = _ratio(hits, sum(row[i] for row in matrix))
        recall = _ratio(hits, sum(matrix[i]))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassReport(label, precision, recall, f1, sum(matrix[i])))
    present = [c for c in per_class if c.support > 0]
    return Report(
        labels=tuple(labels),
        accuracy=_ratio(sum(matrix[i][i] for i in range(len(labels))), len(truth)),
        macro_f1=sum(c.f1 for c in present) / len(present) if present else 0.0,
        per_class=tuple(per_class),
        confusion=tuple(tuple(row) for row in matrix),
        count=len(truth),
    )


def within_one(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """Share of ordinal predictions at most one level away (priority: low..critical)."""
    return _ratio(sum(abs(t - p) <= 1 for t, p in zip(truth, predicted, strict=True)), len(truth))


def calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """Expected calibration error: in equal-width confidence bins, how far the summed
    confidence is from the number of right answers; 0 is perfectly calibrated."""
    confidence_sums, hits = [0.0] * bins, [0] * bins
    for confidence, ok in zip(confidences, correct, strict=True):
        slot = min(int(confidence * bins), bins - 1)
        confidence_sums[slot] += confidence
        hits[slot] += ok
    gap = sum(abs(c - h) for c, h in zip(confidence_sums, hits, strict=True))
    return _ratio(gap, len(confidences))
