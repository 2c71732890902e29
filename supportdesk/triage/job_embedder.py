"""Model compute for background jobs in a process that also answers requests."""

import contextlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt

from supportdesk.background import in_job
from supportdesk.triage.embeddings import Embedder


class SharedCpuEmbedder:
    """For a process that answers requests and also runs background jobs (the embedded
    default): requests embed with the shared session on every core; jobs embed on one
    thread of their own, at a lower CPU priority, with a single-threaded session, so all
    of their model compute runs on that thread and a request never waits behind it."""

    def __init__(self, requests: Embedder, model_dir: Path, nice: int) -> None:
        self.requests = requests
        self._model_dir = model_dir
        self._jobs: Embedder | None = None
        self._thread = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="job-embedder",
            initializer=_lower_thread_priority,
            initargs=(nice,),
        )

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not in_job():
            return self.requests.embed(texts)
        return self._thread.submit(self._embed_for_jobs, texts).result()

    def _embed_for_jobs(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self._jobs is None:  # built on first use: a process that runs no job never pays
            self._jobs = Embedder(self._model_dir, intra_op_threads=1)
        return self._jobs.embed(texts)

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


def _lower_thread_priority(nice: int) -> None:
    # On Linux a thread has its own nice value: this lowers only the jobs' thread.
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):  # a platform without per-thread priorities
        lowered = min(19, os.getpriority(os.PRIO_PROCESS, thread) + nice)
        os.setpriority(os.PRIO_PROCESS, thread, lowered)
