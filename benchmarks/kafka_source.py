"""Kafka source throughput: ReadFromKafka in a Beam pipeline vs a bare kafka-python consumer.

Both read the same N records of about 1 KB from the same embedded broker in the same run,
alternating, best of ``--repeat``. Two rates are reported for each:

* steady: records / time from the first record read to the last, which is what the
  source sustains on a long backlog (the target, ratio >= 0.8, applies to this one);
* total: records / wall time including start-up (client bootstrap, and for Beam the
  pipeline start and partition discovery, about 0.8 s that no record rate can hide).

    python benchmarks/kafka_source.py [--records 50000] [--partitions 3] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import time

import apache_beam as beam
from kafka import TopicPartition

from newsevents.kafka.broker import EmbeddedBroker
from newsevents.kafka.client import (consumer, create_topic, log_end_offsets, parse_config_pairs, produce_lines,
                              wait_for_partitions)
from newsevents.transforms.kafka_io import KafkaReadConfig, ReadFromKafka


class _Seen(beam.DoFn):
    """Discards records, as cheaply as the bare loop does: per record only the time of the
    latest one is kept. The distribution's min and max are the times of the first and last."""

    def setup(self):
        self.seen_at = beam.metrics.Metrics.distribution("bench", "seen_at_us")
        self.count = beam.metrics.Metrics.counter("bench", "records")

    def start_bundle(self):
        self.first, self.last, self.n = None, None, 0

    def process(self, record):
        self.last = time.time()
        if self.first is None:
            self.first = self.last
        self.n += 1

    def finish_bundle(self):
        if self.n:
            self.seen_at.update(int(self.first * 1e6))
            self.seen_at.update(int(self.last * 1e6))
            self.count.inc(self.n)


def bare_consumer(servers: str, topic: str, partitions: int, n: int, settings: dict) -> dict:
    started = time.time()
    c = consumer(servers, extra=settings)
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    c.assign(tps)
    c.seek_to_beginning(*tps)
    seen, first = 0, None
    while seen < n:
        for records in c.poll(timeout_ms=500).values():
            first = first or time.time()
            seen += len(records)
    last = time.time()
    c.close()
    return {"total_s": last - started, "steady_s": last - first}


def beam_source(servers: str, topic: str, n: int, settings: dict) -> dict:
    from apache_beam.metrics.metric import MetricsFilter
    started = time.time()
    p = beam.Pipeline(options=beam.options.pipeline_options.PipelineOptions(["--runner", "DirectRunner"]))
    config = KafkaReadConfig(servers, (topic,), commit_offsets=False, consumer_config=tuple(settings.items()))
    p | ReadFromKafka(config=config) | beam.ParDo(_Seen())
    result = p.run()
    result.wait_until_finish()
    finished = time.time()
    metrics = result.metrics().query(MetricsFilter().with_namespace("bench"))
    [count], [dist] = metrics["counters"], metrics["distributions"]
    read = count.committed or count.attempted
    assert read == n, f"Beam source read {read} records, expected {n}"
    seen = dist.committed or dist.attempted
    return {"total_s": finished - started, "steady_s": (seen.max - seen.min) / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--partitions", type=int, default=3)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--consumer-config", action="append", default=[], metavar="KEY=VALUE",
                    help="kafka-python consumer setting for both readers (repeatable)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = parse_config_pairs(args.consumer_config)
    with EmbeddedBroker() as broker:
        servers, topic = broker.bootstrap_servers, "bench"
        create_topic(servers, topic, args.partitions)
        wait_for_partitions(servers, topic)
        payload = os.urandom(args.size // 2).hex().encode()
        t = time.perf_counter()
        produce_lines(servers, topic, (payload for _ in range(args.records)))
        produce_s = time.perf_counter() - t
        c = consumer(servers)
        ends = log_end_offsets(c, [TopicPartition(topic, p) for p in range(args.partitions)])
        c.close()
        assert sum(ends.values()) == args.records, ends
        bare, beam_runs = [], []
        for _ in range(args.repeat):
            bare.append(bare_consumer(servers, topic, args.partitions, args.records, settings))
            beam_runs.append(beam_source(servers, topic, args.records, settings))

    def rate(runs, key):
        return round(args.records / min(r[key] for r in runs))

    result = {
        "records": args.records, "record_bytes": args.size, "partitions": args.partitions, "repeat": args.repeat,
        "consumer_config": settings,
        "produce_records_per_s": round(args.records / produce_s),
        "bare_consumer_records_per_s": {"steady": rate(bare, "steady_s"), "total": rate(bare, "total_s")},
        "beam_source_records_per_s": {"steady": rate(beam_runs, "steady_s"), "total": rate(beam_runs, "total_s")},
    }
    result["ratio_steady"] = round(result["beam_source_records_per_s"]["steady"]
                                   / result["bare_consumer_records_per_s"]["steady"], 3)
    result["ratio_total"] = round(result["beam_source_records_per_s"]["total"]
                                  / result["bare_consumer_records_per_s"]["total"], 3)
    result["target_ratio_steady"] = 0.8
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
