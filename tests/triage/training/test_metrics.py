import pytest

from supportdesk.triage.training.metrics import calibration_error, score, within_one


def test_score_counts_per_class_and_confusion() -> None:
    report = score(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b", "c"])
    assert report.accuracy == 0.75
    assert report.confusion == ((1, 1, 0), (0, 2, 0), (0, 0, 0))
    a, b, c = report.per_class
    assert (a.precision, a.recall) == (1.0, 0.5)
    assert (b.precision, b.recall) == (pytest.approx(2 / 3), 1.0)
    # A label with no tickets does not drag macro-F1 down.
    assert c.support == 0
    assert report.macro_f1 == pytest.approx((a.f1 + b.f1) / 2)


def test_within_one_level() -> None:
    assert within_one([0, 1, 3, 2], [1, 1, 1, 2]) == 0.75


def test_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    # Four answers at 0.75, three right; two at 1.0, both right.
    confidences = [0.75] * 4 + [1.0] * 2
    correct = [True, True, True, False, True, True]
    assert calibration_error(confidences, correct) == pytest.approx(0.0)


def test_calibration_error_measures_overconfidence() -> None:
    # Always 90% sure, right half the time: 0.4 too confident.
    assert calibration_error([0.9] * 10, [True, False] * 5) == pytest.approx(0.4)
    # Underconfidence counts the same way.
    assert calibration_error([0.5] * 4, [True] * 4) == pytest.approx(0.5)
    assert calibration_error([], []) == 0.0
