import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from supportdesk.background import job_work
from supportdesk.triage.model.embeddings import Embedder, ModelNotBuiltError, load_embedder
from supportdesk.triage.model.job_embedder import SharedCpuEmbedder

MODEL_DIR = Path(__file__).resolve().parents[3] / "models" / "minilm"

if not (MODEL_DIR / "model.int8.onnx").is_file():
    pytest.skip(
        f"embedding model not built ({MODEL_DIR}/model.int8.onnx missing); run `make model`",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return load_embedder(MODEL_DIR)


def test_shape_dtype_and_dim(embedder: Embedder) -> None:
    vectors = embedder.embed(["hello", "my invoice is wrong", "app crashes"])
    assert embedder.dim == 384
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32


def test_no_texts(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, 384)


def test_vectors_are_l2_normalised(embedder: Embedder) -> None:
    vectors = embedder.embed(["short", "a much longer sentence about a billing problem " * 5])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_deterministic(embedder: Embedder) -> None:
    text = "I was charged twice for my subscription"
    first = embedder.embed([text])
    assert np.array_equal(first, embedder.embed([text]))
    assert np.array_equal(first, embedder.embed([text])[0:1])


def test_similar_sentences_are_closer_than_unrelated(embedder: Embedder) -> None:
    anchor, similar, unrelated = embedder.embed(
        [
            "I can't log into my account, the password reset email never arrives",
            "Password reset link not received, so I am locked out of my login",
            "What is the best recipe for a chocolate cake?",
        ]
    )
    assert anchor @ similar > anchor @ unrelated + 0.3


def test_empty_string(embedder: Embedder) -> None:
    vector = embedder.embed([""])
    assert vector.shape == (1, 384)
    assert np.isfinite(vector).all()


def test_very_long_input_is_truncated(embedder: Embedder) -> None:
    head = "The export to CSV fails with a timeout error. " * 60  # > 256 tokens already
    long_a, long_b = embedder.embed([head, head + "totally different tail " * 500])
    # Everything past max_seq_length is cut, so the extra tail cannot change the vector.
    np.testing.assert_allclose(long_a, long_b, atol=1e-6)


def test_a_text_gets_the_same_vector_alone_or_among_others(embedder: Embedder) -> None:
    texts = [f"ticket {i}: " + "printer offline again " * (i % 9) for i in range(70)]
    together = embedder.embed(texts)  # spread over parallel runs, next to other lengths
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert np.array_equal(together, alone)


def test_the_int8_model_stays_close_to_the_float_model(embedder: Embedder) -> None:
    texts = [
        "I was charged twice for my subscription this month",
        "Production API returns 502 for every request since 9:14, all customers affected",
        "How do I change the language of the invoices?",
        "Locked out after too many password attempts, the reset mail never arrives",
    ]
    exact = Embedder(MODEL_DIR, quantized=False).embed(texts)
    cosines = (embedder.embed(texts) * exact).sum(axis=1)
    assert cosines.min() > 0.98


def test_rejects_bare_string(embedder: Embedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("not a list")


def test_load_embedder_is_cached_per_dir(embedder: Embedder) -> None:
    assert load_embedder(MODEL_DIR) is embedder
    assert load_embedder(str(MODEL_DIR / ".." / "minilm")) is embedder


def test_missing_model_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotBuiltError, match="make model"):
        Embedder(tmp_path)


def test_jobs_embed_on_their_own_thread_at_lower_priority(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    original = Embedder.embed_here

    def observed(self: Embedder, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        thread = threading.current_thread().name
        calls.append((thread, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        return original(self, texts)

    monkeypatch.setattr(Embedder, "embed_here", observed)
    shared = SharedCpuEmbedder(embedder, nice=5)
    own_priority = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    try:
        for_request = shared.embed(["my invoice is wrong"])
        with job_work():
            for_job = shared.embed(["my invoice is wrong"])
    finally:
        shared.close()

    (request_thread, request_priority), (job_thread, job_priority) = calls
    assert (request_thread, request_priority) == (threading.current_thread().name, own_priority)
    assert job_thread.startswith("job-embedder")
    assert job_priority == min(19, own_priority + 5)
    assert np.array_equal(for_request, for_job)
