"""Hands memory that a long-running worker has freed back to the operating system.

Two settings, both measured with ``benchmarks/soak.py --probe`` on the streaming job:

Each encoder batch allocates and frees tens of MiB of activations. glibc keeps freed memory in
its arenas for reuse, so a streaming worker's resident size drifts up and down by 100 MiB with
the batches it happened to run, and a heap fragmented that way only grows (measured with
``benchmarks/soak.py --probe``: glibc's in-use heap stayed near 200 MiB while the memory it kept
free swung between 40 and 120 MiB). ``malloc_trim`` returns the free pages of every arena; it is
cheap (a few ms) but not free, so a process calls it at most once per interval. Elsewhere than
glibc (musl, macOS) this does nothing.

pyarrow allocates from its own mimalloc pool by default, which keeps pages it has used; the
writer's reads and compactions then left the streaming job's resident floor about 30 MiB higher
and still creeping after ten minutes. Setting pyarrow's Python-level pool is not enough: Arrow's
C++ code (the Parquet writer's and reader's buffers, compression) allocates from the C++ default
pool, which ``ARROW_DEFAULT_MEMORY_POOL`` chooses once, when pyarrow is imported. With only the
Python pool changed, the 30-minute soak's mimalloc region still stepped up by 19 MiB in one
minute mid-run and crept on; with both on glibc the soak's floor rose 4 MiB in 27 minutes.
``use_system_allocator_for_arrow`` therefore sets that variable before pyarrow is imported (the
CLI calls it first thing; on a runner's worker, where Beam has imported pyarrow already, the
worker's environment must set it), so that every Arrow allocation goes to glibc, whose free pages
``malloc_trim`` returns. A pool chosen with ``ARROW_DEFAULT_MEMORY_POOL`` is kept.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
import threading
import time

TRIM_INTERVAL_S = 10.0

_lock = threading.Lock()
_last_trim = float("-inf")
_trim = None
_looked_up = False
_arrow_choice: bool | None = None  # what use_system_allocator_for_arrow achieved


def _malloc_trim():
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
            _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
        except (OSError, AttributeError):
            _trim = None
    return _trim


def release_free_memory(min_interval_s: float = TRIM_INTERVAL_S) -> bool:
    """Returns freed heap pages to the OS unless this process did so less than ``min_interval_s``
    ago (or cannot); True when it did."""
    global _last_trim
    now = time.monotonic()
    if now - _last_trim < min_interval_s or not _lock.acquire(blocking=False):
        return False
    try:
        if now - _last_trim < min_interval_s:
            return False
        _last_trim = now
        trim = _malloc_trim()
        if trim is None:
            return False
        trim(0)
        return True
    finally:
        _lock.release()


def use_system_allocator_for_arrow() -> bool:
    """Makes glibc the allocator of all of pyarrow, C++ included, unless the user chose one
    (``ARROW_DEFAULT_MEMORY_POOL``).

    Arrow reads that variable once, when pyarrow is imported, so this works fully only before
    then: the CLI calls it before its first import. Called later (a runner's worker, where Beam has
    imported pyarrow already) it moves pyarrow's Python-level allocations only, returns False, and
    warns once that the worker's environment should set ``ARROW_DEFAULT_MEMORY_POOL=system``.
    """
    global _arrow_choice
    if _arrow_choice is not None:
        return _arrow_choice
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        _arrow_choice = True
        return True
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    if "pyarrow" not in sys.modules:
        _arrow_choice = True
        return True
    import pyarrow as pa
    cpp_default = pa.default_memory_pool().backend_name  # the C++ pool while none is set from Python
    pa.set_memory_pool(pa.system_memory_pool())
    _arrow_choice = cpp_default == "system"
    if not _arrow_choice:
        logging.getLogger(__name__).warning(
            "pyarrow's C++ code keeps its %s pool: pyarrow was imported before newsevents could choose "
            "glibc's, and a long-running worker's memory will creep; set ARROW_DEFAULT_MEMORY_POOL=system "
            "in its environment", cpp_default)
    return _arrow_choice
