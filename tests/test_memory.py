"""The streaming worker hands freed heap back to the OS (the soak benchmark measures the effect)."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from newsevents.runtime import memory
glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or memory._malloc_trim() is None,
                           reason="malloc_trim is glibc's")


@pytest.mark.slow
@glibc
def test_freed_heap_pages_go_back_to_the_os_at_most_once_per_interval():
    # In a fresh process: 64 MiB of 1 KiB chunks, freed except the last one, which pins the top of
    # the heap so that glibc cannot shrink it by itself.
    script = textwrap.dedent("""
        import ctypes, json
        from newsevents.runtime import memory
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
    result = json.loads(out.stdout)
    assert result["first"] is True and result["second"] is False
    assert result["held"] - result["after"] >= 40, result  # 64 MiB were freed


_ARROW_SCRIPT = textwrap.dedent("""
    import datetime, json, sys, tempfile
    if sys.argv[1] == "pyarrow first":
        import pyarrow
    import newsevents.pipelines.cli  # what the CLI does on start
    from newsevents.runtime import memory
    import pyarrow as pa, pyarrow.fs as pafs
    from newsevents.output.parquet_files import ParquetWriteConfig, compact_partition, write_atomically
    from newsevents.schemas import DATASETS
    directory = tempfile.mkdtemp()
    rows = [{name: None for name in DATASETS["articles"].names} for _ in range(2000)]
    for i, row in enumerate(rows):
        row.update(article_id=f"a{i}", version_id=f"v{i}", title="t" * 200, text="word " * 400, pipeline_version="test",
                   processed_at=datetime.datetime(2026, 12, 4, tzinfo=datetime.timezone.utc))
    config = ParquetWriteConfig()
    fs = pafs.LocalFileSystem()
    for part in range(3):
        table = pa.Table.from_pylist(rows[part::3], schema=DATASETS["articles"])
        write_atomically(fs, directory, f"part-{part}.parquet", table, config)
    compact_partition(fs, directory, "articles", 2, config)
    pools = {"system": pa.system_memory_pool().max_memory()}
    for name in ("mimalloc", "jemalloc"):
        try:
            pools[name] = getattr(pa, name + "_memory_pool")().max_memory()
        except NotImplementedError:
            pass
    print(json.dumps({"chosen": memory.use_system_allocator_for_arrow(), "python_pool": pa.default_memory_pool().backend_name,
                      "peaks": pools}))
""")


def _arrow_run(order: str, **env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run([sys.executable, "-c", _ARROW_SCRIPT, order], capture_output=True, text=True, check=True,
                         env=dict(environ, **env))
    return dict(json.loads(out.stdout), log=out.stderr)


@pytest.mark.slow
def test_all_of_arrow_allocates_from_glibc_when_the_cli_starts_first():
    # Arrow's C++ code (Parquet encoding, compression) takes the pool chosen when pyarrow loads;
    # setting only the Python-level pool left it on mimalloc, which kept its pages.
    result = _arrow_run("cli first")
    assert result["chosen"] is True and result["python_pool"] == "system"
    assert result["peaks"]["system"] > 1_000_000, result
    assert all(peak == 0 for name, peak in result["peaks"].items() if name != "system"), result


@pytest.mark.slow
def test_a_worker_that_imported_pyarrow_first_is_told_to_set_the_variable():
    result = _arrow_run("pyarrow first")
    assert result["chosen"] is False and result["python_pool"] == "system"
    assert "ARROW_DEFAULT_MEMORY_POOL=system" in result["log"]


@pytest.mark.slow
def test_arrow_keeps_the_pool_the_user_chose():
    chosen = next(iter(sorted(_available_pools())), None)
    if chosen is None:
        pytest.skip("this pyarrow has neither mimalloc nor jemalloc")
    result = _arrow_run("cli first", ARROW_DEFAULT_MEMORY_POOL=chosen)
    assert result["chosen"] is True and result["python_pool"] == chosen
    assert result["peaks"][chosen] > 1_000_000, result


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
