"""Whether the code running now does a background job's work or answers a request.

Job runners mark the work they start; the mark follows it into awaited calls and into
`asyncio.to_thread`, so a component shared by both (the embedder) can give requests
precedence in a process that serves the API and runs jobs.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_in_job: ContextVar[bool] = ContextVar("in_job", default=False)


@contextmanager
def job_work() -> Iterator[None]:
    token = _in_job.set(True)
    try:
        yield
    finally:
        _in_job.reset(token)


def in_job() -> bool:
    return _in_job.get()
