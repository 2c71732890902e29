"""Train the category and priority heads on the example bank (plus agents' corrections)."""

from collections.abc import Sequence

import numpy as np

from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.bank import Example
from supportdesk.triage.base import ticket_text
from supportdesk.triage.embeddings import TextEmbedder
from supportdesk.triage.features import EMBEDDING_DIM, Vector, featurize
from supportdesk.triage.heads import Head, Heads, NeighbourVote

# Strong regularisation and up-weighted explicit signals: with ~1,000 examples the
# 384 embedding dimensions would otherwise drown the handful of impact cues. Chosen by
# the held-out figures in docs/triage.md.
REGULARISATION = 0.02
CATEGORY_SIGNAL_WEIGHT = 2.0
PRIORITY_SIGNAL_WEIGHT = 3.0


def fit_head(
    features: Vector, labels: Sequence[str], order: Sequence[str], signal_weight: float
) -> Head:
    from sklearn.linear_model import LogisticRegression  # training only: keep it off serving

    mean = features.mean(axis=0)
    weight = np.ones(features.shape[1], dtype=np.float32)
    weight[EMBEDDING_DIM:] = signal_weight
    # Dividing the scale by a weight multiplies that feature after standardising.
    scale = (features.std(axis=0) + 1e-6) / weight
    model = LogisticRegression(C=REGULARISATION, max_iter=3000, class_weight="balanced")
    model.fit((features - mean) / scale, labels)
    rows = [list(model.classes_).index(label) for label in order]
    return Head(
        labels=tuple(order),
        coef=model.coef_[rows].astype(np.float32),
        intercept=model.intercept_[rows].astype(np.float32),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
    )


def train_heads(embedder: TextEmbedder, examples: Sequence[Example]) -> Heads:
    texts = [ticket_text(e.title, e.description) for e in examples]
    embeddings = embedder.embed(texts)
    features = featurize(embeddings, texts)
    categories = [c.value for c in Category]
    category = fit_head(
        features, [e.category.value for e in examples], categories, CATEGORY_SIGNAL_WEIGHT
    )
    with_priority = [i for i, e in enumerate(examples) if e.priority is not None]
    priority = fit_head(
        features[with_priority],
        [examples[i].priority.value for i in with_priority],  # type: ignore[union-attr]
        [p.value for p in Priority],
        PRIORITY_SIGNAL_WEIGHT,
    )
    neighbours = NeighbourVote(
        embeddings.astype(np.float16),
        np.array([categories.index(e.category.value) for e in examples], dtype=np.int8),
    )
    return Heads(category=category, priority=priority, neighbours=neighbours)
