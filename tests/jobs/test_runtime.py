"""`supportdesk worker` yields the CPU to the API (checked in a child: nice is one-way)."""

import subprocess
import sys
from pathlib import Path

import pytest

from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.jobs import runtime
from supportdesk.jobs.local import LocalRunner
from supportdesk.jobs.registry import JobContext
from supportdesk.jobs.runtime import NoRunner, build_runner

needs_autogroup = pytest.mark.skipif(
    not Path("/proc/self/autogroup").exists(), reason="kernel without autogroup scheduling"
)

# A session still in the root scheduling group (a container's first session) has no
# autogroup, and the kernel then prints nothing: "none".
SCRIPT = """
import os
from pathlib import Path
from supportdesk.jobs.runtime import lower_cpu_priority
lower_cpu_priority(7)
autogroup = Path("/proc/self/autogroup").read_text().split() or ["none"]
print(os.nice(0), autogroup[-1])
"""


def run(new_session: bool) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        start_new_session=new_session,
    )
    return done.stdout.split()


@needs_autogroup
def test_a_session_leader_lowers_its_process_and_its_session() -> None:
    assert run(new_session=True) == ["7", "7"]


@needs_autogroup
def test_inside_a_shared_session_only_the_process_is_lowered() -> None:
    nice, session_nice = run(new_session=False)
    assert nice == "7"
    assert session_nice != "7"  # the terminal's session (and the API in it) keeps its share


def test_an_api_process_running_jobs_hands_the_gil_back_sooner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(database_url="sqlite+aiosqlite:///unused.db")
    context = JobContext(settings, Database(settings.database_url), triage=None)  # type: ignore[arg-type]
    calls: list[float] = []
    monkeypatch.setattr(sys, "setswitchinterval", calls.append)
    assert isinstance(build_runner(context), LocalRunner)
    assert calls == [runtime.SWITCH_INTERVAL_WITH_JOBS] and calls[0] < sys.getswitchinterval()
    settings.jobs.in_process = False
    assert isinstance(build_runner(context), NoRunner)
    assert len(calls) == 1
