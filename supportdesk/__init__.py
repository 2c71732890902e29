"""supportdesk: AI-triaged support tickets."""

import os

# Before numpy loads OpenBLAS (set in the package, which every entry point imports first):
# our matrix products are one ticket against the model's heads, too small to split, and
# OpenBLAS's idle threads spin between them. Measured filing emails: 30 ms of CPU an email
# with its default threads, 14 ms with one (a core freed on this 2-core machine).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
