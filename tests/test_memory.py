"""The streaming worker hands freed heap back to the OS (the soak benchmark measures the effect)."""
import ctypes
import os
import subprocess
import sys
import textwrap

import pytest

from newsevents import memory

glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or memory._malloc_trim() is None,
                           reason="malloc_trim is glibc's")


@glibc
def test_freed_heap_pages_go_back_to_the_os_at_most_once_per_interval():
    # In a fresh process: 64 MiB of 1 KiB chunks, freed except the last one, which pins the top of
    # the heap so that glibc cannot shrink it by itself.
    script = textwrap.dedent("""
        import ctypes, json
        from newsevents import memory
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
        libc.free.argtypes = [ctypes.c_void_p]
        def anon():
            with open("/proc/self/status") as f:
                return next(int(l.split()[1]) // 1024 for l in f if l.startswith("RssAnon"))
        chunks = [libc.malloc(1024) for _ in range(64 * 1024)]
        for c in chunks:
            ctypes.memset(c, 1, 1024)
        for c in chunks[:-1]:
            libc.free(c)
        held = anon()
        first = memory.release_free_memory(min_interval_s=60)
        after = anon()
        second = memory.release_free_memory(min_interval_s=60)
        print(json.dumps({"held": held, "after": after, "first": first, "second": second}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env=dict(os.environ, MALLOC_ARENA_MAX="1"))
    import json
    result = json.loads(out.stdout)
    assert result["first"] is True and result["second"] is False
    assert result["held"] - result["after"] >= 40, result  # 64 MiB were freed


def test_arrow_uses_the_system_allocator_unless_the_user_chose_one():
    script = "from newsevents import memory; import pyarrow as pa; " \
             "memory.use_system_allocator_for_arrow(); print(pa.default_memory_pool().backend_name)"

    def backend(**env):
        environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
        return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env=dict(environ, **env)).stdout.strip()

    assert backend() == "system"
    chosen = "mimalloc" if "mimalloc" in _available_pools() else "jemalloc"
    if chosen in _available_pools():
        assert backend(ARROW_DEFAULT_MEMORY_POOL=chosen) == chosen


def _available_pools() -> set[str]:
    import pyarrow as pa
    pools = set()
    for name, make in (("mimalloc", pa.mimalloc_memory_pool), ("jemalloc", pa.jemalloc_memory_pool)):
        try:
            make()
            pools.add(name)
        except NotImplementedError:
            pass
    return pools
