"""Sentence embeddings (all-MiniLM-L6-v2) at run time: onnxruntime + tokenizers + numpy only.

The model files are produced offline by ``make model`` (scripts/build-model.sh ->
export_onnx.py). The maths here must stay identical to sentence-transformers' mean pooling
+ L2 normalisation: export_onnx.py checks this file against it before a model is accepted.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
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

REQUIRED_FILES = ("model.onnx", "tokenizer.json", "meta.json")
# Tokens read per text. The model was trained on 128-token inputs and the issue of a long
# ticket is in its first lines: reading 256 (sentence-transformers' default) cost 30% more
# CPU on our bank for no better triage (docs/triage.md). None reads what the export says.
MAX_TOKENS = 128


class ModelNotBuiltError(RuntimeError):
    """The exported embedding model is missing from the model directory."""


class Embedder:
    """Embeds texts into L2-normalised float32 vectors of size :attr:`dim`."""

    def __init__(
        self,
        model_dir: Path,
        *,
        intra_op_threads: int = 2,
        batch_size: int = 32,
        max_tokens: int | None = MAX_TOKENS,
    ) -> None:
        model_dir = Path(model_dir)
        missing = [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]
        if missing:
            raise ModelNotBuiltError(
                f"Embedding model not built: {', '.join(missing)} missing in {model_dir}. "
                "Run `make model` to build it."
            )
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self._dim = int(meta["dim"])
        self._batch_size = batch_size

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The upstream tokenizer.json truncates at 128 and pads to a fixed 128;
        # sentence-transformers overrides both (truncate at max_seq_length, pad to the
        # longest text in the batch), so we must too or long texts embed differently.
        pad = tokenizer.padding or {}
        longest = int(meta["max_seq_length"])
        tokenizer.enable_truncation(max_length=min(longest, max_tokens or longest))
        tokenizer.enable_padding(
            pad_id=pad.get("pad_id", 0), pad_token=pad.get("pad_token", "[PAD]")
        )
        self._tokenizer = tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Without the arena, memory held for the largest batch seen is given back: the
        # server stays near its load-time size instead of growing by ~200 MB.
        options.enable_cpu_mem_arena = False
        # Threads wait without spinning: on 2 cores shared with the API, the database and
        # other workers, spinning burned ~25% more CPU per ticket than it saved.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_dir / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        # A bare str is a Sequence[str] too; embedding it character by character is never meant.
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single str")
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        # Batching texts of similar length keeps padding (wasted compute) small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            out[idx] = self._embed_batch([texts[i] for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": mask,
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        tokens: npt.NDArray[np.float32] = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        # Same epsilons as sentence-transformers (Pooling clamp 1e-9, F.normalize 1e-12).
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: npt.NDArray[np.float32] = pooled / np.maximum(norms, 1e-12)
        return normalised


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
