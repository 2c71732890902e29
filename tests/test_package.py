"""What importing the package sets up for every process that runs it."""

import subprocess
import sys


def test_numpy_blas_runs_on_the_calling_thread_only() -> None:
    """OpenBLAS's own threads spin between our small matrix products, a core's worth of
    CPU on a 2-core machine: importing supportdesk first keeps BLAS to one thread."""
    probe = (
        "import supportdesk, numpy, threadpoolctl; "
        "print(sorted({p['num_threads'] for p in threadpoolctl.threadpool_info() "
        "if p['user_api'] == 'blas'}))"
    )
    env = {"PATH": "/usr/bin:/bin"}  # no OPENBLAS_NUM_THREADS from the caller
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[1]"
