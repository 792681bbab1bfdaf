"""The memory and thread settings of an rra run: the C allocator keeps freed memory for reuse instead of giving it
back at once, Python's cycle collector runs less often (`collect_less`), and numpy's OpenBLAS starts no threads
(`one_blas_thread`).

Z3 allocates a few megabytes for each fresh context, and rra makes dozens (one per analysis step, so that answers
do not depend on what was asked before). glibc serves blocks that large with mmap and returns them to the system
when they are freed, so every new context touched fresh pages again: measured on `rra check` (one process,
medians of 8), 159,000 page faults and 0.43 s of system time, a fresh context 7-10 ms. With the thresholds below
the freed blocks stay in the heap for the next context: 70,000 page faults, 0.16 s of system time, a context
about 1 ms, 0.3 s less in all, and the same peak memory (178 MB). Only the program (`rra.cli.entry`) sets them;
a library user's process is left as it is. Other C libraries (no `mallopt`) are left as they are too.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys

_M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # blocks below this come from the heap (glibc's default moves from 128 KiB up)
TRIM_THRESHOLD = 256 * 1024 * 1024  # free memory at the top of the heap kept for reuse


def keep_freed_memory() -> bool:
    """Set the thresholds in glibc's allocator; False where the C library has no mallopt (not glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


GC_THRESHOLDS = (20_000, 20, 20)  # Python's default is (700, 10, 10)


def collect_less() -> None:
    """Let Python's cycle collector run less often: an rra run makes hundreds of thousands of short-lived objects
    (Z3 terms, findings), few of them in cycles, and with the default thresholds it ran 276 collections in one
    `rra check` (one process), 0.12 s; with these, 8 collections, 0.035 s. Only the program sets them."""
    gc.set_threshold(*GC_THRESHOLDS)


BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def one_blas_thread() -> None:
    """Let numpy's OpenBLAS start no threads of its own, unless the user set their number (before numpy is
    imported; its child processes inherit it). rra's numpy work is elementwise, with no matrix products for
    threads to share, but each OpenBLAS thread busy-waits for about 0.1 s of CPU after numpy's import: measured
    on `rra check` (perf), 2.7% of its CPU samples in `blas_thread_server`, taken from the two processes' own
    work; with one thread, 3.63 s of CPU against 3.70 s and 2.05 s of wall time against 2.09 s (medians of 7
    interleaved runs)."""
    os.environ.setdefault(BLAS_THREADS, "1")
