"""End-to-end latency of the streaming pipeline: produce -> rows readable in Parquet.

Starts the embedded broker and ``newsevents run --streaming`` (the real CLI, DirectRunner),
publishes sample articles at a fixed rate under fresh ids, and watches the output for the
files that carry them. Reports p50, p95 and max latency for article rows and for event rows,
the sustained throughput, and whether latency grew over the run (lag growth).
Target on the 2-core reference machine: p95 <= 5 s at 5 articles/s, no growth. With
``--feed firehose`` it publishes real-length articles (benchmarks/firehose_feed.py, 600-1,500
words, mostly off topic) instead of the corpus's wire items: the firehose target is p95 <= 2 s at
30 articles/s. Pipeline flags after ``--`` go to ``newsevents run`` (e.g. ``-- --quantize``).

    python benchmarks/latency.py [--rate 5] [--seconds 60] [--feed corpus|firehose] [-- RUN FLAGS]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pyarrow.parquet as pq

from newsevents.kafka.broker import EmbeddedBroker
from newsevents.evaluation.corpus import corpus_path, read_jsonl
from newsevents.kafka.client import create_topic, producer, wait_for_partitions


class OutputWatcher(threading.Thread):
    """Records when each article id first becomes readable, per dataset group."""

    def __init__(self, root: str):
        super().__init__(daemon=True)
        self.root, self.seen_files = root, set()
        self.article_seen: dict[str, float] = {}
        self.event_seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            now = time.time()
            for d, _, files in os.walk(self.root):
                for f in files:
                    path = os.path.join(d, f)
                    if f.startswith(".") or not f.endswith(".parquet") or path in self.seen_files:
                        continue
                    self.seen_files.add(path)
                    ids = pq.read_table(path, columns=["article_id"]).column(0).to_pylist()
                    target = self.event_seen if "/events/" in path else self.article_seen
                    for i in ids:
                        target.setdefault(i, now)
            time.sleep(0.05)


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    a = np.array(values)
    return {"n": len(values), "p50_s": round(float(np.percentile(a, 50)), 3),
            "p95_s": round(float(np.percentile(a, 95)), 3), "max_s": round(float(a.max()), 3)}


def file_counts(data: str, log_path: str) -> dict:
    """Parquet files left at the end, and what the writers' compaction merged on the way."""
    visible = [f for _, _, fs in os.walk(data) for f in fs if f.endswith(".parquet") and not f.startswith(".")]
    partitions = {d for d, _, fs in os.walk(data) if os.path.basename(d).startswith("dt=")}
    merged = [int(m) for m in re.findall(r"compacted \S+: (\d+) files", open(log_path, errors="replace").read())]
    return {"parquet_files_at_end": len(visible), "partitions": len(partitions),
            "compactions": len(merged), "files_merged_by_compaction": sum(merged),
            "files_written_by_bundles": len(visible) + sum(merged) - len(merged)}


def sample_articles() -> list[dict]:
    return read_jsonl(corpus_path("train")) + read_jsonl(corpus_path("heldout"))


def firehose_articles(n: int = 600) -> list[dict]:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from firehose_feed import feed
    return list(feed(n))


RUN_FLAGS: list[str] = []  # extra `newsevents run` flags (after `--` on the command line)


def parse_benchmark_args(ap: argparse.ArgumentParser):
    """The benchmark's own options; what follows ``--`` goes to ``newsevents run`` (RUN_FLAGS)."""
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    RUN_FLAGS[:] = argv[cut + 1:]
    return args


def feed_articles(feed: str) -> list[dict]:
    """The articles a streaming benchmark publishes: real-length firehose ones or the corpus's."""
    return firehose_articles() if feed == "firehose" else sample_articles()
CLI: list[str] = ["-m", "newsevents.pipelines.cli"]  # the soak's --probe runs it under memory_probe.py


def start_pipeline(servers: str, topic: str, out: str) -> subprocess.Popen:
    """``newsevents run --streaming`` (the real CLI, DirectRunner) writing to ``out/data``;
    its log goes to ``out/pipeline.log``."""
    log = open(os.path.join(out, "pipeline.log"), "wb")
    return subprocess.Popen([sys.executable, *CLI, "run", "--source", "kafka",
                             "--bootstrap-servers", servers, "--topic", topic, "--streaming",
                             "--output", os.path.join(out, "data"), "--progress-interval", "0", *RUN_FLAGS],
                            stdout=subprocess.DEVNULL, stderr=log)


def wait_until_serving(p, topic: str, sample: dict, proc: subprocess.Popen, out: str,
                       timeout_s: float = 180) -> None:
    """Publishes one article and waits until it is readable: the model is loaded, the reads run.
    The warm-up article is not measured."""
    watcher = OutputWatcher(os.path.join(out, "data"))
    watcher.start()
    try:
        p.send(topic, json.dumps(dict(sample, id="warmup")).encode()).get(timeout=30)
        deadline = time.time() + timeout_s
        while "warmup" not in watcher.article_seen:
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"pipeline did not start; see {out}/pipeline.log")
            time.sleep(0.1)
    finally:
        watcher.stop.set()


@contextlib.contextmanager
def streaming_pipeline(topic: str, out: str):
    """(pipeline process, producer): the embedded broker with a 3-partition ``topic`` and the
    streaming CLI reading it; stopped with SIGTERM on the way out."""
    with EmbeddedBroker() as broker:
        servers = broker.bootstrap_servers
        create_topic(servers, topic, 3)
        wait_for_partitions(servers, topic)
        proc = start_pipeline(servers, topic, out)
        p = producer(servers, linger_ms=0)
        try:
            yield proc, p
        finally:
            stop_pipeline(proc)
            p.close()


def stop_pipeline(proc: subprocess.Popen) -> None:
    """SIGTERM, as a service manager would: the pipeline writes its last bundle and exits."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=5.0, help="articles per second")
    ap.add_argument("--seconds", type=float, default=60.0, help="how long to publish")
    ap.add_argument("--feed", choices=("corpus", "firehose"), default="corpus",
                    help="the corpus's wire items, or real-length firehose articles")
    args = parse_benchmark_args(ap)
    samples = feed_articles(args.feed)
    out = tempfile.mkdtemp(prefix="newsevents-latency-")
    topic = "latency"
    with streaming_pipeline(topic, out) as (proc, p):
        watcher = OutputWatcher(os.path.join(out, "data"))
        try:
            wait_until_serving(p, topic, samples[0], proc, out)
            watcher.start()
            produced: dict[str, float] = {}
            n = int(args.rate * args.seconds)
            start = time.time()
            for i in range(n):
                due = start + i / args.rate
                time.sleep(max(0.0, due - time.time()))
                article_id = f"lat-{i}"
                produced[article_id] = time.time()
                p.send(topic, json.dumps(dict(samples[i % len(samples)], id=article_id, url=None)).encode())
            p.flush()
            publish_end = time.time()
            deadline = publish_end + 60
            while len([i for i in produced if i in watcher.article_seen]) < n and time.time() < deadline:
                time.sleep(0.1)
            drained = time.time()
        finally:
            watcher.stop.set()
    article_lat = [watcher.article_seen[i] - t for i, t in produced.items() if i in watcher.article_seen]
    event_lat = [watcher.event_seen[i] - t for i, t in produced.items() if i in watcher.event_seen]
    ordered = [watcher.article_seen[i] - produced[i] for i in produced if i in watcher.article_seen]
    third = max(1, len(ordered) // 3)
    result = {
        "rate_per_s": args.rate, "seconds": args.seconds, "published": len(produced),
        "articles_readable": len(article_lat), "lost": len(produced) - len(article_lat),
        "article_rows": percentiles(article_lat), "event_rows": percentiles(event_lat),
        "throughput_articles_per_s": round(len(article_lat) / (drained - start), 2),
        "p50_first_third_s": round(float(np.median(ordered[:third])), 3) if ordered else None,
        "p50_last_third_s": round(float(np.median(ordered[-third:])), 3) if ordered else None,
        "feed": args.feed, "run_flags": RUN_FLAGS,
        "target": "p95 <= 2 s at 30 articles/s (firehose)" if args.feed == "firehose" else
                  "p95 <= 5 s at 5 articles/s, no growth",
        "output": out,
        **file_counts(os.path.join(out, "data"), os.path.join(out, "pipeline.log")),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
