import dataclasses
import io

import numpy as np
import pytest

from supportdesk.triage.model.heads import (
    Head,
    Heads,
    NeighbourVote,
    ordinal_choice,
    with_temperature,
)
from supportdesk.triage.training.fit import fit_temperature


def _heads(**temperatures: float) -> Heads:
    rng = np.random.default_rng(0)

    def head(labels: tuple[str, ...]) -> Head:
        n = len(labels)
        return Head(
            labels=labels,
            coef=rng.normal(size=(n, 3)).astype(np.float32),
            intercept=np.zeros(n, dtype=np.float32),
            mean=np.zeros(3, dtype=np.float32),
            scale=np.ones(3, dtype=np.float32),
        )

    neighbours = NeighbourVote(
        rng.normal(size=(5, 3)).astype(np.float16), np.array([0, 1, 2, 3, 0], dtype=np.int8)
    )
    categories = head(("billing", "technical", "account", "general"))
    priorities = head(("low", "medium", "high", "critical"))
    return Heads(categories, priorities, neighbours, **temperatures)


def test_temperature_keeps_the_answer_and_changes_the_confidence() -> None:
    probabilities = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]], dtype=np.float32)
    softer = with_temperature(probabilities, 2.0)
    sharper = with_temperature(probabilities, 0.5)
    for scaled in (softer, sharper):
        assert np.allclose(scaled.sum(axis=1), 1.0)
        assert (scaled.argmax(axis=1) == probabilities.argmax(axis=1)).all()
    assert (softer.max(axis=1) < probabilities.max(axis=1)).all()
    assert (sharper.max(axis=1) > probabilities.max(axis=1)).all()
    assert np.allclose(with_temperature(probabilities, 1.0), probabilities)


def test_fit_temperature_recovers_how_over_confident_a_model_is() -> None:
    # Labels drawn from the softened probabilities: the model is too sure by T = 2.
    rng = np.random.default_rng(7)
    logits = rng.normal(scale=3.0, size=(4000, 4))
    stated = with_temperature(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), 1.0)
    true_p = with_temperature(stated, 2.0)
    truth = np.array([rng.choice(4, p=row / row.sum()) for row in true_p.astype(np.float64)])
    assert fit_temperature(stated, truth) == pytest.approx(2.0, rel=0.15)


def test_heads_round_trip_with_temperatures() -> None:
    heads = _heads(category_temperature=0.7, priority_temperature=1.3)
    loaded = Heads.from_bytes(heads.to_bytes())
    assert (loaded.category_temperature, loaded.priority_temperature) == pytest.approx((0.7, 1.3))
    features = np.ones((2, 3), dtype=np.float32)
    embeddings = np.ones((2, 3), dtype=np.float32) / np.sqrt(3)
    assert np.allclose(
        loaded.category_probabilities(features, embeddings),
        heads.category_probabilities(features, embeddings),
    )
    assert np.allclose(
        loaded.priority_probabilities(features), heads.priority_probabilities(features)
    )


def test_versions_stored_before_calibration_load_as_uncalibrated() -> None:
    heads = _heads(category_temperature=0.7)
    stored = np.load(io.BytesIO(heads.to_bytes()))
    legacy = {name: stored[name] for name in stored.files if name != "temperatures"}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **legacy)
    loaded = Heads.from_bytes(buffer.getvalue())
    assert loaded == dataclasses.replace(loaded, category_temperature=1.0, priority_temperature=1.0)


def test_ordinal_choice_is_the_median_level() -> None:
    probabilities = np.array([[0.4, 0.05, 0.05, 0.5], [0.1, 0.6, 0.2, 0.1]], dtype=np.float32)
    # The first row's argmax is "critical" and its runner-up "low": the median, "high",
    # is never more than one level from where half the mass lies.
    assert ordinal_choice(probabilities).tolist() == [2, 1]
