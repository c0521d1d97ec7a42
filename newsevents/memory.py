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
and still creeping after ten minutes. ``use_system_allocator_for_arrow`` sends pyarrow to glibc,
whose free pages ``malloc_trim`` returns. A pool chosen with ``ARROW_DEFAULT_MEMORY_POOL`` is kept.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time

TRIM_INTERVAL_S = 10.0

_lock = threading.Lock()
_last_trim = float("-inf")
_trim = None
_looked_up = False


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


def use_system_allocator_for_arrow() -> None:
    """Makes glibc pyarrow's default pool, unless the user chose one (``ARROW_DEFAULT_MEMORY_POOL``)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa
    pa.set_memory_pool(pa.system_memory_pool())
