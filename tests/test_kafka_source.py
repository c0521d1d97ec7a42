"""ReadFromKafka against the embedded broker: exact bounded reads, limits, offsets, timestamps."""
import json
import time
import uuid

import apache_beam as beam
import pytest
from kafka import TopicPartition

from newsevents.kafka.client import consumer, log_end_offsets
from newsevents.transforms.kafka_io import KafkaReadConfig, ReadFromKafka

from helpers import publish


class _AppendToFile(beam.DoFn):
    """Collects records in a file: a GroupByKey-free sink, as the read's output is unbounded-typed."""

    def __init__(self, path):
        self.path = path

    def start_bundle(self):
        self.lines = []

    def process(self, record, ts=beam.DoFn.TimestampParam):
        self.lines.append(json.dumps([record.partition, record.offset, record.value.decode(),
                                      record.timestamp_ms, ts.micros // 1000]))

    def finish_bundle(self):
        with open(self.path, "a") as f:
            f.writelines(line + "\n" for line in self.lines)


def read_topic(broker, topic, tmp_path, **kw):
    out = tmp_path / f"read-{uuid.uuid4().hex[:6]}.jsonl"
    config = KafkaReadConfig(bootstrap_servers=broker.bootstrap_servers, topics=(topic,), **kw)
    with beam.Pipeline() as p:
        p | ReadFromKafka(config=config) | beam.ParDo(_AppendToFile(str(out)))
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


def end_offsets(broker, topic):
    c = consumer(broker.bootstrap_servers)
    try:
        return log_end_offsets(c, [TopicPartition(topic, p) for p in range(3)])
    finally:
        c.close()


def committed(broker, topic, group):
    c = consumer(broker.bootstrap_servers, group_id=group)
    try:
        return {TopicPartition(topic, p): c.committed(TopicPartition(topic, p)) for p in range(3)}
    finally:
        c.close()


@pytest.mark.slow
def test_bounded_read_is_exact_across_partitions(broker, topic, tmp_path):
    values = [f"m{i}" for i in range(3000)]
    publish(broker, topic, [v.encode() for v in values])
    rows = read_topic(broker, topic, tmp_path, commit_offsets=False, max_bundle_records=500)
    assert sorted(r[2] for r in rows) == sorted(values)                         # no loss
    assert len({(r[0], r[1]) for r in rows}) == len(rows) == len(values)      # no duplicate
    assert {r[0] for r in rows} == {0, 1, 2}


@pytest.mark.slow
def test_max_records_stops_the_read(broker, topic, tmp_path):
    publish(broker, topic, [f"m{i}".encode() for i in range(600)])
    rows = read_topic(broker, topic, tmp_path, max_records=100, commit_offsets=False)
    assert len(rows) == 100


@pytest.mark.slow
def test_commits_end_offsets_then_resumes_from_committed(broker, topic, tmp_path):
    group = f"g-{uuid.uuid4().hex[:6]}"
    publish(broker, topic, [f"old{i}".encode() for i in range(300)])
    first = read_topic(broker, topic, tmp_path, group_id=group, start="committed")
    assert len(first) == 300
    assert committed(broker, topic, group) == end_offsets(broker, topic)
    publish(broker, topic, [f"new{i}".encode() for i in range(50)])
    second = read_topic(broker, topic, tmp_path, group_id=group, start="committed")
    assert sorted(r[2] for r in second) == sorted(f"new{i}" for i in range(50))


@pytest.mark.slow
def test_element_timestamps_are_record_timestamps(broker, topic, tmp_path):
    before = int(time.time() * 1000)
    publish(broker, topic, [f"m{i}".encode() for i in range(30)])
    rows = read_topic(broker, topic, tmp_path, commit_offsets=False)
    assert len(rows) == 30
    for _, _, _, record_ms, element_ms in rows:
        assert record_ms == element_ms
        assert before - 5000 <= record_ms <= int(time.time() * 1000) + 5000


@pytest.mark.slow
def test_explicit_record_timestamps_survive_runs_and_changes(broker, topic, tmp_path):
    """Records leave the source in runs of equal timestamps: runs of 1 to 4 records, timestamps going
    back and forth, all in one partition and one producer batch, each keep their own timestamp."""
    from newsevents.kafka.client import producer

    base = 1_700_000_000_000
    stamps = [base + 1000 * (i // 3) for i in range(12)] + [base - 5000, base + 50_000, base + 50_000, base + 7]
    p = producer(broker.bootstrap_servers)
    for i, ms in enumerate(stamps):
        p.send(topic, f"t{i}".encode(), partition=0, timestamp_ms=ms)
    p.flush()
    p.close()
    rows = read_topic(broker, topic, tmp_path, commit_offsets=False)
    assert [(r[2], r[3], r[4]) for r in sorted(rows, key=lambda r: r[1])] == \
        [(f"t{i}", ms, ms) for i, ms in enumerate(stamps)]


@pytest.mark.slow
def test_start_latest_and_time(broker, topic, tmp_path):
    publish(broker, topic, [f"a{i}".encode() for i in range(20)])
    assert read_topic(broker, topic, tmp_path, start="latest", commit_offsets=False) == []
    rows = read_topic(broker, topic, tmp_path, start="2000-01-01T00:00:00Z", commit_offsets=False)
    assert len(rows) == 20


def test_partition_reader_prefetches_idle_partitions_without_loss(broker, topic):
    """Partitions read in turns, as the source's DoFn does: while one is read the others are
    prefetched up to the limit, then stop fetching; every record comes out once, in offset order."""
    from newsevents.kafka.partition_reader import PartitionReader

    publish(broker, topic, [f"m{i}".encode() for i in range(3000)])
    ends = end_offsets(broker, topic)
    tps = [TopicPartition(topic, p) for p in range(3)]
    reader = PartitionReader(lambda: consumer(broker.bootstrap_servers, max_poll_records=200,
                                              auto_offset_reset="none"), prefetch_records=300)
    got = {tp: [] for tp in tps}
    try:
        for tp in tps:  # the first turn of each partition assigns it
            reader.start(tp, 0)
            reader.stop(tp, 0)
        saw_prefetch = False
        deadline = time.monotonic() + 60
        while any(len(got[tp]) < ends[tp] for tp in tps) and time.monotonic() < deadline:
            for tp in tps:
                reader.start(tp, len(got[tp]))
                for _ in range(2):  # a short turn, like a deferred restriction
                    got[tp] += [r.offset for r in reader.poll(tp, timeout_ms=200)]
                others = [o for o in tps if o != tp]
                if any(reader.prefetched(o) >= 300 for o in others):
                    saw_prefetch = True
                    assert not {o for o in others if reader.prefetched(o) >= 300} & reader.consumer.assignment()
                reader.stop(tp, len(got[tp]))
        assert saw_prefetch
        for tp in tps:
            assert got[tp] == list(range(ends[tp])), tp
        # A turn that starts elsewhere than where the last one ended drops the prefetch and seeks.
        reader.start(tps[0], 5)
        assert reader.poll(tps[0], timeout_ms=2000)[0].offset == 5
    finally:
        reader.close()
