"""Runs the ``newsevents`` CLI with a thread that records where its memory is, for the soak.

RSS alone cannot say which allocator holds a growing heap. Every ``NEWSEVENTS_PROBE_SECONDS``
(default 10) this appends one CSV row to ``NEWSEVENTS_PROBE_CSV``: RSS (anonymous and file-backed); glibc's heap in use and
free-but-kept (``mallinfo2``); pyarrow's Python-level pool (allocated and peak) and its mimalloc
pool's peak (zero when Arrow allocates from glibc, as the CLI makes it); Python's
allocated blocks and gc-tracked objects; threads. With ``NEWSEVENTS_PROBE_TYPES=1`` it also
appends to ``<csv>.types`` the object types whose counts grew most since the previous sample.

    NEWSEVENTS_PROBE_CSV=/tmp/probe.csv python benchmarks/memory_probe.py run --streaming ...
"""
from __future__ import annotations

import collections
import ctypes
import gc
import os
import sys
import threading
import time

MIB = 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _mallinfo() -> _MallInfo2 | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        return libc.mallinfo2()
    except (OSError, AttributeError):  # not glibc, or glibc older than 2.33
        return None


def _status() -> dict[str, int]:
    """VmRSS, RssAnon (heap) and RssFile (libraries, mapped model files), in bytes."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0]) * 1024
    return out


def _mimalloc_peak() -> int:
    import pyarrow as pa
    try:
        return pa.mimalloc_memory_pool().max_memory()
    except (NotImplementedError, AttributeError):  # a pyarrow built without it
        return 0


def _type_counts() -> collections.Counter:
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def _probe(path: str, every_s: float, types: bool) -> None:
    import pyarrow as pa
    start = time.time()
    previous = _type_counts() if types else None
    with open(path, "w") as out:
        out.write("seconds,rss_mib,anon_mib,file_mib,malloc_used_mib,malloc_free_mib,malloc_mmap_mib,arrow_mib,arrow_peak_mib,mimalloc_peak_mib,"
                  "py_blocks,gc_objects,threads\n")
        while True:
            time.sleep(every_s)
            info = _mallinfo()
            used, free, mmap = ((info.uordblks, info.fordblks, info.hblkhd) if info else (0, 0, 0))
            pool = pa.default_memory_pool()
            status = _status()
            out.write(f"{time.time() - start:.1f},{status.get('VmRSS', 0) / MIB:.1f},"
                      f"{status.get('RssAnon', 0) / MIB:.1f},{status.get('RssFile', 0) / MIB:.1f},{used / MIB:.1f},{free / MIB:.1f},"
                      f"{mmap / MIB:.1f},{pool.bytes_allocated() / MIB:.1f},{pool.max_memory() / MIB:.1f},{_mimalloc_peak() / MIB:.1f},"
                      f"{sys.getallocatedblocks()},{len(gc.get_objects())},{threading.active_count()}\n")
            out.flush()
            if types:
                now = _type_counts()
                grown = sorted(((now[k] - previous.get(k, 0), k) for k in now), reverse=True)[:12]
                with open(path + ".types", "a") as t:
                    t.write(f"{time.time() - start:.0f}s " + " ".join(f"{k}:+{d}" for d, k in grown if d > 0) + "\n")
                previous = now


def main() -> int:
    from newsevents.pipelines.cli import main as cli_main  # first: it chooses Arrow's allocator before pyarrow loads
    path = os.environ.get("NEWSEVENTS_PROBE_CSV")
    if path:
        threading.Thread(target=_probe, name="memory-probe", daemon=True,
                         args=(path, float(os.environ.get("NEWSEVENTS_PROBE_SECONDS", "10")),
                               os.environ.get("NEWSEVENTS_PROBE_TYPES") == "1")).start()
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
