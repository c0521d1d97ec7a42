"""Both cores: the bounded Kafka job with one worker, two worker threads and two worker processes.

Starts the embedded broker, publishes the firehose feed (benchmarks/firehose_feed.py: real-length
articles, about 90% off topic) to a topic with 3 partitions, and runs ``newsevents run`` (the real
CLI, DirectRunner = FnApiRunner) over it once per mode, each into a fresh output. Every run must
write every article exactly once (articles rows = records, no version written twice); the table
gives wall time (process start to exit, model loading included) and the speed-up against one worker.

    python benchmarks/workers.py [--articles 300] [--partitions 3]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from firehose_feed import feed  # noqa: E402

from newsevents.kafka.broker import EmbeddedBroker  # noqa: E402
from newsevents.kafka.client import create_topic, produce_lines, wait_for_partitions  # noqa: E402
from newsevents.pipelines.report import read_dataset  # noqa: E402

MODES = {
    "1 worker": [],
    "2 threads": ["--direct_num_workers", "2", "--direct_running_mode", "multi_threading"],
    "2 processes": ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"],
}


def run_mode(servers: str, topic: str, out: Path, extra: list[str]) -> float:
    cmd = [sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka", "--bootstrap-servers",
           servers, "--topic", topic, "--start", "earliest", "--output", str(out), "--progress-interval", "0", *extra]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--partitions", type=int, default=3)
    args = ap.parse_args()
    rows = list(feed(args.articles))
    results = {}
    with EmbeddedBroker() as broker, tempfile.TemporaryDirectory() as tmp:
        servers, topic = broker.bootstrap_servers, "firehose"
        create_topic(servers, topic, args.partitions)
        wait_for_partitions(servers, topic)
        produce_lines(servers, topic, [json.dumps(r).encode() for r in rows],
                      key_fn=lambda line: json.loads(line)["id"].encode())
        for name, extra in MODES.items():
            out = Path(tmp) / name.replace(" ", "-")
            seconds = run_mode(servers, topic, out, extra)
            articles = read_dataset(str(out), "articles").to_pandas()
            once = len(articles) == len(rows) and articles["version_id"].is_unique
            results[name] = {"seconds": round(seconds, 1), "articles_per_s": round(len(rows) / seconds, 2),
                             "articles": len(articles), "exactly_once": bool(once)}
            print(f"{name:12s} {seconds:7.1f} s  {len(rows) / seconds:6.2f} articles/s  "
                  f"articles {len(articles)}/{len(rows)}  exactly once: {once}", flush=True)
    base = results["1 worker"]["seconds"]
    for r in results.values():
        r["speedup"] = round(base / r["seconds"], 2)
    print(json.dumps({"articles": len(rows), "partitions": args.partitions, "modes": results}, indent=1))
    if not all(r["exactly_once"] for r in results.values()):
        raise SystemExit("FAIL: an article was lost or written twice")


if __name__ == "__main__":
    main()
