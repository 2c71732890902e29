"""Sentence embeddings (all-MiniLM-L6-v2) at run time: onnxruntime + tokenizers + numpy only.

The model files are produced offline by ``make model`` (scripts/build-model.sh ->
export_onnx.py). The maths here must stay identical to sentence-transformers' mean pooling
+ L2 normalisation: export_onnx.py checks this file, running the float model, against it
before a model is accepted, and the int8 model served against the float one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

__all__ = [
    "MAX_TOKENS",
    "CachedEmbedder",
    "Embedder",
    "ModelNotBuiltError",
    "TextEmbedder",
    "load_embedder",
]

# The served model has int8 weights, quantised from the float export once that matched
# sentence-transformers (export_onnx.py): it reads a ticket about twice as fast for the same
# triage figures (docs/triage.md). The float model stays beside it as the reference.
QUANTIZED_MODEL = "model.int8.onnx"
FLOAT_MODEL = "model.onnx"
# Tokens read per text. The model was trained on 128-token inputs and the issue of a long
# ticket is in its first lines: reading 256 (sentence-transformers' default) cost 30% more
# CPU on our bank for no better triage (docs/triage.md). None reads what the export says.
MAX_TOKENS = 128


class ModelNotBuiltError(RuntimeError):
    """The exported embedding model is missing from the model directory."""


class Embedder:
    """Embeds texts into L2-normalised float32 vectors of size :attr:`dim`.

    One text per model run, each run on one thread, with up to `parallel` texts at once: an
    int8 model scales a run's activations by their own range, so a text batched with others
    would not always get the same vector; and with no padding, no compute is wasted.
    Single-threaded runs on every core also embedded 20% more tickets a second than
    batches of 32 spread over both cores (docs/triage.md).
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        parallel: int | None = None,
        max_tokens: int | None = MAX_TOKENS,
        quantized: bool = True,
    ) -> None:
        model_dir = Path(model_dir)
        model_file = QUANTIZED_MODEL if quantized else FLOAT_MODEL
        required = (model_file, "tokenizer.json", "meta.json")
        missing = [name for name in required if not (model_dir / name).is_file()]
        if missing:
            raise ModelNotBuiltError(
                f"Embedding model not built: {', '.join(missing)} missing in {model_dir}. "
                "Run `make model` to build it."
            )
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self._dim = int(meta["dim"])

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The upstream tokenizer.json truncates at 128 and pads to a fixed 128;
        # sentence-transformers truncates at max_seq_length and, for a text alone, does not
        # pad at all: so must we, or long texts embed differently.
        longest = int(meta["max_seq_length"])
        tokenizer.enable_truncation(max_length=min(longest, max_tokens or longest))
        tokenizer.no_padding()
        self._tokenizer = tokenizer

        options = ort.SessionOptions()
        # A run computes on the thread that calls it; parallel runs share the session.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Without the arena, memory held for the largest text seen is given back: the
        # server stays near its load-time size instead of growing by ~200 MB.
        options.enable_cpu_mem_arena = False
        self._session = ort.InferenceSession(
            str(model_dir / model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        workers = parallel or os.cpu_count() or 1
        self._pool = ThreadPoolExecutor(workers, "embedder") if workers > 1 else None
        self._parallel = workers

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        # A bare str is a Sequence[str] too; embedding it character by character is never meant.
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single str")
        if self._pool is None or len(texts) < 2:
            return self.embed_here(texts)
        shares = [texts[start :: self._parallel] for start in range(self._parallel)]
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        for start, vectors in enumerate(self._pool.map(self.embed_here, shares)):
            out[start :: self._parallel] = vectors
        return out

    def embed_here(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed on the calling thread only (a background job's low-priority thread)."""
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            ids = np.array([encoding.ids], dtype=np.int64)
            feeds = {
                "input_ids": ids,
                "attention_mask": np.ones_like(ids),
                "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
            }
            tokens: npt.NDArray[np.float32] = self._session.run(None, feeds)[0]
            # Mean pooling + L2 normalisation, with sentence-transformers' epsilons (Pooling
            # clamps the token count at 1e-9, F.normalize the norm at 1e-12).
            pooled = tokens[0].sum(axis=0) / max(tokens.shape[1], 1e-9)
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out


@functools.lru_cache(maxsize=8)
def _load_resolved(model_dir: Path) -> Embedder:
    return Embedder(model_dir)


def load_embedder(model_dir: Path | str) -> Embedder:
    """Shared :class:`Embedder` per model directory (sessions are costly to create)."""
    return _load_resolved(Path(model_dir).resolve())


class TextEmbedder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class CachedEmbedder:
    """Remembers embeddings on disk by text hash, so retraining on the example bank and
    the corrections embeds only what is new: retraining takes seconds, not a minute."""

    def __init__(self, embedder: TextEmbedder, path: Path) -> None:
        self.embedder = embedder
        self.path = path

    def _load(self) -> dict[str, npt.NDArray[np.float32]]:
        if not self.path.is_file():
            return {}
        with np.load(self.path, allow_pickle=False) as stored:
            return dict(zip((str(k) for k in stored["keys"]), stored["vectors"], strict=True))

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        known = self._load()
        keys = [hashlib.sha256(text.encode()).hexdigest()[:24] for text in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
        if missing:
            vectors = self.embedder.embed([text for _, text in missing])
            known.update(zip((k for k, _ in missing), vectors, strict=True))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial.npz")
            np.savez(partial, keys=np.array(list(known)), vectors=np.array(list(known.values())))
            partial.replace(self.path)
        return np.array([known[k] for k in keys], dtype=np.float32).reshape(len(texts), -1)
