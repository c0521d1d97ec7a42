"""A streaming run picks up messages produced after it started, and writes them while running."""
import signal
import subprocess
import sys
import time

import pytest

from helpers import payloads, publish, read


def _wait_for_rows(output, n, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = read(output, "articles").num_rows if (output / "articles").exists() else 0
        if rows >= n:
            return rows
        assert proc.poll() is None, proc.stderr.read()[-3000:]
        time.sleep(0.5)
    raise AssertionError(f"fewer than {n} articles after {timeout}s")


@pytest.mark.slow
def test_streaming_run_picks_up_new_messages(broker, topic, corpus, tmp_path):
    out = tmp_path / "out"
    publish(broker, topic, payloads(corpus[:4]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka", "--streaming",
         "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic, "--output", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_rows(out, 4, proc, timeout=60)
        assert proc.poll() is None  # still running: the first articles were written while streaming
        publish(broker, topic, payloads(corpus[4:9]))
        _wait_for_rows(out, 9, proc, timeout=30)
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)  # ends the read after its poll; what was read is written
        assert proc.wait(timeout=90) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    ids = sorted(read(out, "articles").column("article_id").to_pylist())
    assert ids == sorted(a["id"] for a in corpus[:9])
