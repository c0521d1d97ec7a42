"""A streaming catch-up: how soon the rows of a backlog appear, and whether they come as it goes.

Starts the embedded broker and ``newsevents run --streaming`` (the real CLI, DirectRunner),
waits until it serves, then publishes a backlog of N articles at once (far faster than the
pipeline reads them). For every article it records the time from its record landing in the
topic to its row being readable, and it reports the time to the first row, the longest stretch
with no new rows while the backlog lasts, and the throughput. Target: the first rows within a
few seconds and no stretch much longer than a bundle (about a second of the pipeline's work),
whatever the backlog; throughput as a bounded run's.

    python benchmarks/catchup.py [--records 1000] [--feed firehose|corpus] [-- RUN FLAGS]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from latency import (RUN_FLAGS, OutputWatcher, feed_articles, file_counts, parse_benchmark_args,  # noqa: E402
                     percentiles, streaming_pipeline, wait_until_serving)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1000, help="articles in the backlog")
    ap.add_argument("--feed", choices=("corpus", "firehose"), default="firehose",
                    help="real-length firehose articles, or the corpus's wire items")
    ap.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    args = parse_benchmark_args(ap)
    samples = feed_articles(args.feed)
    out = tempfile.mkdtemp(prefix="newsevents-catchup-")
    topic = "catchup"
    with streaming_pipeline(topic, out) as (proc, p):
        watcher = OutputWatcher(os.path.join(out, "data"))
        try:
            wait_until_serving(p, topic, samples[0], proc, out)
            watcher.start()
            landed: dict[str, float] = {}
            futures = {}
            start = time.time()
            for i in range(args.records):
                article_id = f"backlog-{i}"
                futures[article_id] = p.send(topic, json.dumps(dict(samples[i % len(samples)], id=article_id,
                                                                    url=None)).encode())
            p.flush()
            for article_id, f in futures.items():
                f.get(timeout=60)
                landed[article_id] = time.time()  # acknowledged: the record has its offset
            published = time.time()
            deadline = start + args.timeout
            while len(landed.keys() & watcher.article_seen.keys()) < len(landed) and time.time() < deadline:
                time.sleep(0.1)
            drained = time.time()
        finally:
            watcher.stop.set()
    seen = sorted(watcher.article_seen[i] for i in landed if i in watcher.article_seen)
    gaps = [b - a for a, b in zip([start] + seen, seen)]
    latency = [watcher.article_seen[i] - t for i, t in landed.items() if i in watcher.article_seen]
    result = {
        "records": args.records, "feed": args.feed, "run_flags": RUN_FLAGS,
        "publish_s": round(published - start, 2),
        "readable": len(seen), "lost": len(landed) - len(seen),
        "first_row_after_s": round(seen[0] - start, 2) if seen else None,
        "longest_stretch_without_new_rows_s": round(max(gaps), 2) if gaps else None,
        "offset_to_row": percentiles(latency),
        "throughput_articles_per_s": round(len(seen) / (drained - start), 2),
        "output": out,
        **file_counts(os.path.join(out, "data"), os.path.join(out, "pipeline.log")),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
