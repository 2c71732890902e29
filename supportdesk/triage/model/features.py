"""What the trained heads see: the sentence embedding plus the explicit signals."""

import math

import numpy as np
import numpy.typing as npt

from supportdesk.taxonomy import Category
from supportdesk.triage.model.signals import CRITICAL_CUES, Signals, read_signals

Vector = npt.NDArray[np.float32]
EMBEDDING_DIM = 384  # all-MiniLM-L6-v2; the signal features follow it


def signal_features(signals: Signals, text: str) -> list[float]:
    impact = [1.0 if name in signals.critical else 0.0 for name in CRITICAL_CUES]
    counts = [
        math.log1p(len(cues))
        for cues in (signals.blocked, signals.workaround, signals.problem, signals.low)
    ]
    # Present or not: how many ways a writer shouts ("!!", "!!!!", "URGENT") says nothing
    # more about impact, and counting them taught the heads that louder means critical.
    shouting = [1.0 if signals.shouting else 0.0]
    categories = [math.log1p(signals.category_hits.get(c, 0)) for c in Category]
    shape = [1.0 if text.rstrip().endswith("?") else 0.0, math.log1p(len(text)) / 8]
    return impact + counts + shouting + categories + shape


def featurize(embeddings: Vector, texts: list[str], signals: list[Signals] | None = None) -> Vector:
    """`signals`: the texts' signals when the caller has read them already."""
    read = signals if signals is not None else [read_signals(text) for text in texts]
    extra = np.array(
        [signal_features(seen, text) for seen, text in zip(read, texts, strict=True)],
        dtype=np.float32,
    ).reshape(len(texts), -1)
    return np.hstack([embeddings, extra]).astype(np.float32)
