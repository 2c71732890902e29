"""Linear heads over the features, stored as plain arrays (no pickle) and run with numpy."""

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Head:
    """Softmax regression: probabilities = softmax(((x - mean) / scale) @ coef.T + intercept)."""

    labels: tuple[str, ...]
    coef: Array
    intercept: Array
    mean: Array
    scale: Array

    def probabilities(self, features: Array) -> Array:
        logits = ((features - self.mean) / self.scale) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: Array = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return result


def ordinal_choice(probabilities: Array) -> npt.NDArray[np.intp]:
    """The median level for ordered labels (low < ... < critical): it minimises the
    expected distance to the truth, so a mistake is rarely two levels off."""
    result: npt.NDArray[np.intp] = (probabilities.cumsum(axis=1) >= 0.5).argmax(axis=1)
    return result


@dataclass(frozen=True)
class NeighbourVote:
    """Category votes of the most similar training tickets (cosine on the embeddings).

    Blended with the linear head it recovers phrasings the head generalises poorly,
    such as very short tickets in a domain the bank covers thinly."""

    embeddings: npt.NDArray[np.float16]
    labels: npt.NDArray[np.int8]  # index into the category head's labels
    k: int = 15
    sharpness: float = 10.0

    def probabilities(self, embeddings: Array, classes: int) -> Array:
        similarity = embeddings @ self.embeddings.T.astype(np.float32)
        k = min(self.k, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        votes = np.zeros((len(embeddings), classes), dtype=np.float32)
        weights = np.exp(self.sharpness * np.take_along_axis(similarity, nearest, axis=1))
        for row in range(len(embeddings)):
            np.add.at(votes[row], self.labels[nearest[row]], weights[row])
        result: Array = votes / votes.sum(axis=1, keepdims=True)
        return result


NEIGHBOUR_SHARE = 0.5


def with_temperature(probabilities: Array, temperature: float) -> Array:
    """Temperature scaling on probabilities: p ** (1 / T), renormalised. T > 1 softens
    overconfident answers, T < 1 sharpens underconfident ones; the argmax never moves."""
    scaled = np.power(np.maximum(probabilities, 1e-12), 1.0 / temperature)
    result: Array = (scaled / scaled.sum(axis=1, keepdims=True)).astype(np.float32)
    return result


@dataclass(frozen=True)
class Heads:
    category: Head
    priority: Head
    neighbours: NeighbourVote
    # Fitted on out-of-fold predictions at training time (training.calibrate), so that a
    # confidence of 0.8 is right about 8 times in 10.
    category_temperature: float = 1.0
    priority_temperature: float = 1.0

    def category_probabilities(self, features: Array, embeddings: Array) -> Array:
        return with_temperature(
            self.uncalibrated_category(features, embeddings), self.category_temperature
        )

    def priority_probabilities(self, features: Array) -> Array:
        return with_temperature(self.priority.probabilities(features), self.priority_temperature)

    def uncalibrated_category(self, features: Array, embeddings: Array) -> Array:
        linear = self.category.probabilities(features)
        nearby = self.neighbours.probabilities(embeddings, len(self.category.labels))
        blended: Array = (1 - NEIGHBOUR_SHARE) * linear + NEIGHBOUR_SHARE * nearby
        return blended

    def to_bytes(self) -> bytes:
        arrays: dict[str, npt.NDArray[np.generic]] = {}
        for name, head in (("category", self.category), ("priority", self.priority)):
            arrays[f"{name}_labels"] = np.array(head.labels)
            for part in ("coef", "intercept", "mean", "scale"):
                arrays[f"{name}_{part}"] = getattr(head, part)
        arrays["neighbour_embeddings"] = self.neighbours.embeddings
        arrays["neighbour_labels"] = self.neighbours.labels
        arrays["temperatures"] = np.array(
            [self.category_temperature, self.priority_temperature], dtype=np.float32
        )
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Heads":
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:

            def head(name: str) -> Head:
                return Head(
                    labels=tuple(str(label) for label in arrays[f"{name}_labels"]),
                    coef=arrays[f"{name}_coef"],
                    intercept=arrays[f"{name}_intercept"],
                    mean=arrays[f"{name}_mean"],
                    scale=arrays[f"{name}_scale"],
                )

            neighbours = NeighbourVote(arrays["neighbour_embeddings"], arrays["neighbour_labels"])
            # Versions trained before calibration existed have no temperatures: 1 = as trained.
            temperatures = arrays.get("temperatures", (1.0, 1.0))
            return cls(
                category=head("category"),
                priority=head("priority"),
                neighbours=neighbours,
                category_temperature=float(temperatures[0]),
                priority_temperature=float(temperatures[1]),
            )
