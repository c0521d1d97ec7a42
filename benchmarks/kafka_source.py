"""Kafka source throughput: ReadFromKafka in a Beam pipeline vs a bare kafka-python consumer.

Both read the same N records of about 1 KB from the same embedded broker in the same run.
The Beam figure is the wall time of the whole bounded pipeline, start-up and partition
discovery included; records are discarded after the read. Target: ratio >= 0.8.

    python benchmarks/kafka_source.py [--records 50000] [--partitions 3]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import time

import apache_beam as beam
from kafka import TopicPartition

from newsevents.broker import EmbeddedBroker
from newsevents.kafka import consumer, create_topic, log_end_offsets, produce_lines, wait_for_partitions
from newsevents.transforms.kafka_io import KafkaReadConfig, ReadFromKafka


class _Count(beam.DoFn):
    def setup(self):
        self.counter = beam.metrics.Metrics.counter("bench", "records")

    def process(self, record):
        self.counter.inc()


def bare_consumer(servers: str, topic: str, partitions: int, n: int) -> float:
    c = consumer(servers)
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    c.assign(tps)
    c.seek_to_beginning(*tps)
    started, seen = time.perf_counter(), 0
    while seen < n:
        for records in c.poll(timeout_ms=500).values():
            seen += len(records)
    elapsed = time.perf_counter() - started
    c.close()
    return elapsed


def beam_source(servers: str, topic: str, n: int) -> float:
    from apache_beam.metrics.metric import MetricsFilter
    started = time.perf_counter()
    p = beam.Pipeline(options=beam.options.pipeline_options.PipelineOptions(["--runner", "DirectRunner"]))
    p | ReadFromKafka(KafkaReadConfig(servers, (topic,), commit_offsets=False)) | beam.ParDo(_Count())
    result = p.run()
    result.wait_until_finish()
    elapsed = time.perf_counter() - started
    counted = sum(c.committed or c.attempted for c in
                  result.metrics().query(MetricsFilter().with_name("records"))["counters"])
    assert counted == n, f"Beam source read {counted} records, expected {n}"
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--partitions", type=int, default=3)
    ap.add_argument("--size", type=int, default=1000)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
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
        bare = bare_consumer(servers, topic, args.partitions, args.records)
        beam_s = beam_source(servers, topic, args.records)
        bare_again = bare_consumer(servers, topic, args.partitions, args.records)
    bare_best = min(bare, bare_again)
    result = {
        "records": args.records, "record_bytes": args.size, "partitions": args.partitions,
        "produce_records_per_s": round(args.records / produce_s),
        "bare_consumer_records_per_s": round(args.records / bare_best),
        "beam_source_records_per_s": round(args.records / beam_s),
        "ratio": round(bare_best / beam_s, 3), "target_ratio": 0.8,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
