"""Model compute for background jobs in a process that also answers requests."""

import contextlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from supportdesk.background import in_job
from supportdesk.triage.model.embeddings import Embedder


class SharedCpuEmbedder:
    """For a process that answers requests and also runs background jobs (the embedded
    default): requests embed in runs spread over every core; jobs embed on one thread of
    their own, at a lower CPU priority. A model run computes on the thread that calls it,
    so all of the jobs' model compute stays on that thread and a request never waits
    behind it."""

    def __init__(self, embedder: Embedder, nice: int) -> None:
        self.embedder = embedder
        self._thread = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="job-embedder",
            initializer=_lower_thread_priority,
            initargs=(nice,),
        )

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not in_job():
            return self.embedder.embed(texts)
        return self._thread.submit(self.embedder.embed_here, texts).result()

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


def _lower_thread_priority(nice: int) -> None:
    # On Linux a thread has its own nice value: this lowers only the jobs' thread.
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):  # a platform without per-thread priorities
        lowered = min(19, os.getpriority(os.PRIO_PROCESS, thread) + nice)
        os.setpriority(os.PRIO_PROCESS, thread, lowered)
