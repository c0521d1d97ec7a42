"""Consolidation time per 10,000 events: `newsevents consolidate` (its Beam pipeline on the local
runner, the encoder included) over synthetic event datasets, then a second run with nothing new.

Events are generated, not analyzed: N stories of 1-8 articles each over --days days, from
templates with varying countries and leaders, written as the pipeline writes them.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

import pyarrow as pa

from newsevents.parquet_files import ParquetWriteConfig, file_name, write_atomically
from newsevents.pipelines.consolidate import consolidate
from newsevents.schemas import DATASETS
from pyarrow import fs as pafs

COUNTRIES = [("USA", "President", "Adams"), ("JPN", "Prime Minister", "Sato"), ("FRA", "President", "Martin"),
             ("DEU", "Chancellor", "Weber"), ("BRA", "President", "Costa"), ("IND", "Prime Minister", "Rao"),
             ("KEN", "President", "Otieno"), ("CAN", "Prime Minister", "Roy"), ("MEX", "President", "Luna"),
             ("KOR", "President", "Park"), ("AUS", "Prime Minister", "Hill"), ("EGY", "President", "Hassan")]
CITIES = ["Tokyo", "Berlin", "Nairobi", "Ottawa", "Seoul", "Cairo", "Lima", "Oslo"]


def synthetic(n_events: int, days: int, seed: int = 7):
    rng = random.Random(seed)
    start = date(2025, 3, 1)
    articles, events, i = [], [], 0
    while len(events) < n_events:
        a, b = rng.sample(COUNTRIES, 2)
        city, day = rng.choice(CITIES), start + timedelta(days=rng.randrange(days))
        topic = rng.choice(["trade", "security", "energy", "climate", "migration"])
        for k in range(rng.randint(1, 8)):
            i += 1
            published = datetime(day.year, day.month, day.day, 6 + k, tzinfo=timezone.utc)
            aid = f"a{i}"
            summary = (f"{a[1]} {a[2]} met {b[1]} {b[2]} in {city} for talks on {topic}. "
                       f"Outlet {k} reports the leaders agreed to meet again; note {rng.randrange(10**6)}.")
            articles.append({"article_id": aid, "version_id": f"v{i}", "summary": summary, "published_at": published,
                             "processed_at": published, "pipeline_version": "bench", "dt": day.isoformat()})
            events.append({"event_id": f"e{i}", "article_id": aid, "event_type": "summit", "summary": summary,
                           "evidence": [summary], "title": f"{a[2]} and {b[2]} meet in {city}",
                           "country_codes": [a[0], b[0]], "participants": [f"{a[1]} {a[2]}", f"{b[1]} {b[2]}"],
                           "event_date": day, "published_at": published, "source": f"outlet{k}",
                           "processed_at": published, "pipeline_version": "bench", "host_city": city,
                           "dt": day.isoformat()})
    return articles, events[:n_events]


def write(root: str, dataset: str, rows: list[dict]) -> None:
    fs, key = pafs.LocalFileSystem(), "version_id" if dataset == "articles" else "event_id"
    by_dt: dict[str, list[dict]] = {}
    for r in rows:
        by_dt.setdefault(r["dt"], []).append({k: v for k, v in r.items() if k != "dt"})
    for dt, part in by_dt.items():
        table = pa.Table.from_pylist(part, schema=DATASETS[dataset])
        write_atomically(fs, f"{root}/{dataset}/dt={dt}", file_name(r[key] for r in part), table, ParquetWriteConfig())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    articles, events = synthetic(args.events, args.days)
    with tempfile.TemporaryDirectory() as root:
        write(root, "articles", articles)
        write(root, "events/summit", events)
        t = time.perf_counter()
        first = consolidate(root)
        total = time.perf_counter() - t
        second = consolidate(root)
    per_10k = total * 10_000 / len(events)
    print(f"{len(events)} events, {len(articles)} articles over {args.days} days: consolidate {total:.1f} s "
          f"({per_10k:.1f} s per 10,000 events; {first.rewritten_partitions} partitions rewritten); "
          f"second run {second.seconds:.2f} s, {second.rewritten_partitions} rewritten")


if __name__ == "__main__":
    main()
