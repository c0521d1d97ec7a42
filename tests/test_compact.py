"""``newsevents compact``: fewer files, the same rows, also while the pipeline is writing."""
import json
import os
import subprocess
import sys
import threading

import pytest

from newsevents.pipelines.compact import compact
from newsevents.schemas import KEY_COLUMNS

from helpers import read, run_jsonl


def _variants(article, n, tag):
    """Copies of one article under new ids: the same day, so they land in the same partitions."""
    return [dict(article, id=f"{article['id']}-{tag}-{i}", url=None) for i in range(n)]


def _files(root):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if not f.startswith("."))


@pytest.mark.slow
def test_compact_merges_partitions_without_losing_or_duplicating_rows(corpus, tmp_path):
    out = tmp_path / "out"
    base = next(a for a in corpus if a["id"] == "mix-all-002")
    batches = [_variants(base, 3, f"b{i}") for i in range(5)]
    writer_done = threading.Event()

    def write_batch(i):
        path = tmp_path / f"batch{i}.jsonl"
        path.write_text("\n".join(json.dumps(a) for a in batches[i]) + "\n")
        run_jsonl(path, out)

    def write_batches():
        try:
            for i in range(4):
                write_batch(i)
        finally:
            writer_done.set()

    writer = threading.Thread(target=write_batches)
    writer.start()
    while not writer_done.is_set():  # compaction racing the writer
        compact(str(out))
    writer.join()
    write_batch(4)  # after the race: the partitions hold more than one file again
    before = {name: sorted(read(out, name).column(key).to_pylist()) for name, key in KEY_COLUMNS.items()}
    assert len(before["articles"]) == 15
    assert len(_files(out / "articles")) > 1

    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "compact", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "files merged" in proc.stdout
    after = {name: sorted(read(out, name).column(key).to_pylist()) for name, key in KEY_COLUMNS.items()}
    assert after == {name: sorted(set(ids)) for name, ids in before.items()}  # same keys, each once
    for d, _, files in os.walk(out):
        if os.path.basename(d).startswith("dt="):
            assert len([f for f in files if not f.startswith(".")]) == 1, d
    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "compact", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert "nothing to compact" in proc.stdout
