"""The Parquet datasets as downstream users read them: replay, schema evolution, crashes, DuckDB, pandas."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsevents.schemas import DATASETS, KEY_COLUMNS, RUN_DATASETS, read_schema

from helpers import payloads, read, run_jsonl


def _snapshot(root):
    """Every committed file with its size and modification time."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = (os.path.getsize(p), os.stat(p).st_mtime_ns)
    return out


def _write_input(path, articles, extra_lines=()):
    path.write_bytes(b"\n".join(payloads(articles) + list(extra_lines)) + b"\n")
    return path


@pytest.mark.slow
def test_replay_writes_nothing_new_and_keys_stay_unique(corpus, tmp_path):
    out = tmp_path / "out"
    half = _write_input(tmp_path / "half.jsonl", corpus[:20], [b"{broken"])
    full = _write_input(tmp_path / "full.jsonl", corpus[:40], [b"{broken"])
    run_jsonl(half, out)
    run_jsonl(full, out)  # overlaps the first run: its first 20 articles are copies from another input
    first = _snapshot(out)
    run_jsonl(full, out)  # the same bounded job again
    assert _snapshot(out) == first, "a replay must leave the datasets unchanged"
    for name, key in KEY_COLUMNS.items():
        ids = read(out, name).column(key).to_pylist()
        assert len(ids) == len(set(ids)), f"{name}: duplicate {key}"
    assert read(out, "articles").num_rows == 40
    # Every line of both files is accounted for once: the invalid line of each file, and the 20
    # articles of full.jsonl already written from half.jsonl, as duplicates with their bytes.
    dead = read(out, "dead_letter").to_pylist()
    assert sorted(d["reason"] for d in dead) == ["duplicate"] * 20 + ["invalid_json"] * 2
    duplicates = [d for d in dead if d["reason"] == "duplicate"]
    assert {d["input_line"] for d in duplicates} == set(range(1, 21))
    assert all(d["input_file"].endswith("full.jsonl") and d["stage"] == "write" and d["raw"] for d in duplicates)
    assert read(out, "articles").num_rows + len(dead) == 21 + 41


@pytest.mark.slow
def test_older_files_stay_readable_next_to_newer_ones(corpus, tmp_path):
    """Version N+1 adds a nullable column: files written before it must read together with new ones."""
    out = tmp_path / "out"
    run_jsonl(_write_input(tmp_path / "in.jsonl", corpus[:12]), out)
    name = "events/summit"
    current = read(out, name)
    assert current.num_rows > 0
    # An "older" file: the same dataset without the column the current version added last.
    older_schema = DATASETS[name].remove(DATASETS[name].get_field_index("summarizer_model"))
    older_rows = current.slice(0, 1).drop_columns(["dt", "summarizer_model"]).to_pylist()
    older_rows[0]["event_id"] = "older-version-row"
    older_dir = out / name / "dt=2001-01-01"
    older_dir.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(older_rows, schema=older_schema), older_dir / "part-older.parquet")

    both = read(out, name)  # the project's reader, with the current schema
    assert both.num_rows == current.num_rows + 1
    old = both.filter(ds.field("event_id") == "older-version-row")
    assert old.column("summarizer_model").to_pylist() == [None]
    assert old.column("dt").to_pylist() == ["2001-01-01"]

    import duckdb
    con = duckdb.connect()
    n_null, n = con.execute(
        f"select count(*) filter (where summarizer_model is null), count(*) from read_parquet("
        f"'{out / name}/**/*.parquet', hive_partitioning=true, union_by_name=true)").fetchone()
    assert (n_null, n) == (1, current.num_rows + 1)

    import pandas as pd
    df = pd.read_parquet(out / name, schema=read_schema(name))
    assert len(df) == current.num_rows + 1 and df["summarizer_model"].isna().sum() == 1


@pytest.mark.slow
def test_duckdb_and_pandas_read_every_dataset(corpus, tmp_path):
    import duckdb
    import pandas as pd

    out = tmp_path / "out"
    run_jsonl(_write_input(tmp_path / "in.jsonl", corpus[:16], [b"not json"]), out)
    con = duckdb.connect()
    for name in RUN_DATASETS:
        expected = read(out, name).num_rows
        assert expected > 0, name
        glob = f"{out / name}/**/*.parquet"
        assert con.execute(f"select count(*) from read_parquet('{glob}', hive_partitioning=true)").fetchone()[0] \
            == expected
        assert len(pd.read_parquet(out / name)) == expected
    # A typical analyst query: tariff events per imposing country, straight from the files.
    rows = con.execute(f"""
        select c as country, count(*) as n
        from read_parquet('{out}/events/tariff/**/*.parquet', hive_partitioning=true), unnest(imposing_countries) t(c)
        group by c order by n desc""").fetchall()
    assert rows and all(len(code) == 3 for code, _ in rows)
    # The hive partition column is a date string that filters.
    days = pd.read_parquet(out / "articles")["dt"].astype(str)
    assert days.str.match(r"^\d{4}-\d{2}-\d{2}$").all()


_WRITER = textwrap.dedent("""
    import sys
    import pyarrow as pa
    from pyarrow import fs
    from newsevents.output.parquet_files import ParquetWriteConfig, write_atomically
    root, rows = sys.argv[1], int(sys.argv[2])
    table = pa.table({"event_id": [f"id-{i}" for i in range(rows)], "payload": [b"x" * 2000] * rows})
    i = 0
    while True:
        write_atomically(fs.LocalFileSystem(), root + "/dt=2025-01-01", f"part-{i:05d}.parquet", table,
                         ParquetWriteConfig(compression="none", row_group_size=1000))
        i += 1
        print(i, flush=True)
""")


@pytest.mark.slow
def test_kill_during_a_write_leaves_no_readable_partial_file(tmp_path):
    import duckdb
    import pandas as pd

    root = tmp_path / "ds"
    rows = 50_000  # about 100 MB per file: long enough to be caught in the middle of a write
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(root), str(rows)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "1"  # one file committed
        partition = root / "dt=2025-01-01"
        deadline = time.monotonic() + 60
        while not any(n.startswith(".") for n in os.listdir(partition)):  # the next one is being written
            assert time.monotonic() < deadline, "the writer never started a second file"
            time.sleep(0.01)
        time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    leftovers = [n for n in os.listdir(partition) if n.startswith(".")]
    committed = [n for n in os.listdir(partition) if not n.startswith(".")]
    assert leftovers, "the kill should have caught a write in progress"
    for n in committed:  # every visible file is complete
        assert pq.ParquetFile(partition / n).metadata.num_rows == rows
    total = rows * len(committed)
    assert ds.dataset(root, format="parquet", partitioning="hive").count_rows() == total
    assert len(pd.read_parquet(root)) == total
    assert duckdb.connect().execute(
        f"select count(*) from read_parquet('{root}/**/*.parquet', hive_partitioning=true)").fetchone()[0] == total
