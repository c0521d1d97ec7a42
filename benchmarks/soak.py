"""Memory soak of the streaming pipeline: is its resident memory flat after warm-up?

Starts the embedded broker and ``newsevents run --streaming`` (the real CLI, DirectRunner, as
in ``latency.py``), publishes sample articles under fresh ids at a fixed rate for N minutes,
and samples the resident set size (RSS) of the pipeline process and its children every 2 s.
Reports the RSS after warm-up and at the end, and the articles produced and written (nothing
may be lost).

A sample taken while a batch is being encoded is up to ~130 MiB above one taken between
batches (activations, and the heap glibc keeps for them), so single samples swing more than a
leak of a few MiB a minute would move them. The verdict is therefore on the *floor*: the lowest
sample of each minute, which is what the process keeps between batches. The least-squares
slope of every sample is reported next to it.

Target on the 2-core reference machine: floor slope below 0.5 MiB/min after a 3-minute warm-up
at 5 articles/s for 30 minutes (``--minutes 30``, the default).

    python benchmarks/soak.py [--minutes 30] [--rate 5] [--warmup-minutes 3] [--max-slope 0.5]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import pyarrow.dataset as ds

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import latency  # noqa: E402
from latency import sample_articles, streaming_pipeline, wait_until_serving  # noqa: E402

MIB = 1024 * 1024


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(c) for c in f.read().split()]
    except OSError:  # the process (or a thread) has just ended
        pass
    return kids


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc; psutil is not a dependency)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
        todo += _children(p)
    return total


def slope_per_minute(samples: list[tuple[float, int]], from_s: float) -> tuple[float, float] | None:
    """Least-squares slope of RSS (MiB per minute) over the samples taken at or after ``from_s``,
    with its standard error: RSS swings by tens of MiB with the batch being encoded."""
    pts = [(t, rss) for t, rss in samples if t >= from_s]
    if len(pts) < 4:
        return None
    t = np.array([p[0] for p in pts]) / 60.0
    mib = np.array([p[1] for p in pts]) / MIB
    fit, cov = np.polyfit(t, mib, 1, cov=True)
    return float(fit[0]), float(np.sqrt(cov[0, 0]))


def minute_floors(samples: list[tuple[float, int]], from_s: float) -> list[tuple[float, int]]:
    """(middle of the minute, lowest RSS of that minute) for every whole minute from ``from_s``."""
    floors: dict[int, int] = {}
    for t, rss in samples:
        if t >= from_s:
            minute = int((t - from_s) // 60)
            floors[minute] = min(rss, floors.get(minute, rss))
    last_whole = int((samples[-1][0] - from_s) // 60) if samples else 0
    return [(from_s + 60 * m + 30, r) for m, r in sorted(floors.items()) if m < last_whole]


def rss_at(samples: list[tuple[float, int]], at_s: float) -> float:
    """RSS in MiB of the first sample taken at or after ``at_s`` (else the last one)."""
    for t, rss in samples:
        if t >= at_s:
            return rss / MIB
    return samples[-1][1] / MIB


def written_ids(root: str) -> set[str]:
    """Article ids readable in the output (one dataset scan: thousands of small files by now)."""
    try:
        table = ds.dataset(os.path.join(root, "articles"), format="parquet").to_table(columns=["article_id"])
    except (OSError, FileNotFoundError):  # no file yet, or one replaced while listed: ask again
        return set()
    return set(table.column(0).to_pylist())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30.0, help="how long to publish")
    ap.add_argument("--rate", type=float, default=5.0, help="articles per second")
    ap.add_argument("--warmup-minutes", type=float, default=3.0, help="left out of the slope")
    ap.add_argument("--sample-seconds", type=float, default=2.0, help="RSS sampling interval")
    ap.add_argument("--max-slope", type=float, default=0.5,
                    help="PASS when the floor rises by less than this many MiB per minute")
    ap.add_argument("--probe", action="store_true",
                    help="record where the pipeline's memory is (memory_probe.py) in OUTPUT/probe.csv")
    args = ap.parse_args()
    samples_in = sample_articles()
    out = tempfile.mkdtemp(prefix="newsevents-soak-")
    if args.probe:
        os.environ["NEWSEVENTS_PROBE_CSV"] = os.path.join(out, "probe.csv")
        latency.CLI[:] = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "memory_probe.py")]
    rss: list[tuple[float, int]] = []  # (seconds since the first article, bytes)
    topic = "soak"
    with streaming_pipeline(topic, out) as (proc, p):
        seen: set[str] = set()
        wait_until_serving(p, topic, samples_in[0], proc, out)
        produced: list[str] = []
        n = int(args.rate * args.minutes * 60)
        start = next_sample = time.time()
        with open(os.path.join(out, "rss.csv"), "w") as csv:
            csv.write("seconds,rss_mib\n")
            for i in range(n):
                now = time.time()
                if now >= next_sample:
                    if proc.poll() is not None:
                        raise SystemExit(f"pipeline exited with {proc.returncode}; see {out}/pipeline.log")
                    rss.append((now - start, tree_rss(proc.pid)))
                    csv.write(f"{now - start:.1f},{rss[-1][1] / MIB:.1f}\n")
                    csv.flush()
                    next_sample += args.sample_seconds
                time.sleep(max(0.0, start + i / args.rate - time.time()))
                article_id = f"soak-{i}"
                produced.append(article_id)
                p.send(topic, json.dumps(dict(samples_in[i % len(samples_in)], id=article_id, url=None)).encode())
            p.flush()
            rss.append((time.time() - start, tree_rss(proc.pid)))
            csv.write(f"{rss[-1][0]:.1f},{rss[-1][1] / MIB:.1f}\n")
        deadline = time.time() + 180
        while not seen.issuperset(produced) and time.time() < deadline:
            time.sleep(5.0)
            seen = written_ids(os.path.join(out, "data"))
    warmup_s = args.warmup_minutes * 60
    slope, stderr = slope_per_minute(rss, warmup_s) or (None, None)
    floors = minute_floors(rss, warmup_s)
    floor_slope, floor_stderr = slope_per_minute(floors, warmup_s) or (None, None)
    written = len(seen.intersection(produced))
    passed = floor_slope is not None and floor_slope < args.max_slope and written == len(produced)
    result = {
        "minutes": args.minutes, "rate_per_s": args.rate, "produced": len(produced), "written": written,
        "lost": len(produced) - written,
        "rss_first_mib": round(rss[0][1] / MIB, 1),
        f"rss_at_{args.warmup_minutes:g}_min_mib": round(rss_at(rss, warmup_s), 1),
        "rss_end_mib": round(rss[-1][1] / MIB, 1),
        "rss_max_mib": round(max(r for _, r in rss) / MIB, 1),
        "floor_at_warmup_mib": round(floors[0][1] / MIB, 1) if floors else None,
        "floor_end_mib": round(floors[-1][1] / MIB, 1) if floors else None,
        "floor_slope_mib_per_min": None if floor_slope is None else round(floor_slope, 3),
        "floor_slope_stderr_mib_per_min": None if floor_stderr is None else round(floor_stderr, 3),
        "slope_all_samples_mib_per_min": None if slope is None else round(slope, 3),
        "slope_all_samples_stderr_mib_per_min": None if stderr is None else round(stderr, 3),
        "samples": len(rss), "output": out,
    }
    print(json.dumps(result, indent=2))
    print(f"{'PASS' if passed else 'FAIL'}: floor slope {result['floor_slope_mib_per_min']} MiB/min after "
          f"{args.warmup_minutes:g} min (limit {args.max_slope}), {written}/{len(produced)} articles written")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
