"""Faults at the Kafka edge, injected into real runs: malformed records, a broker killed, frozen or
lost, and a pipeline killed during a catch-up. Each test accounts for every record in the topic:
rows + dead letters (+ replays, + records the run says it did not read) = records produced.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from kafka import TopicPartition

from newsevents.kafka.broker import EmbeddedBroker
from newsevents.kafka.client import committed_offsets, consumer, create_topic, producer, wait_for_partitions
from newsevents.kafka.headers import UndecodableHeaderKey, header_error, install
from newsevents.transforms.kafka_io import BundlePacer

from helpers import payloads, read, run_kafka

pytestmark = pytest.mark.slow


class _RawHeaderKey(str):
    """A header key that kafka-python's producer writes as the given bytes: what a librdkafka
    client writes when handed bytes that are not UTF-8."""

    def __new__(cls, raw: bytes):
        key = super().__new__(cls, "raw")
        key.raw = raw
        return key

    def encode(self, *args, **kwargs) -> bytes:
        return self.raw


def _articles(corpus, n, prefix):
    return [dict(corpus[i % len(corpus)], id=f"{prefix}-{i}") for i in range(n)]


def _offsets(out, topic) -> dict[int, list[int]]:
    """Kafka offsets of every row and dead letter of ``topic``, per partition."""
    found: dict[int, list[int]] = {}
    for dataset in ("articles", "dead_letter"):
        t = read(out, dataset)
        for topic_, p, o in zip(t.column("kafka_topic").to_pylist(), t.column("kafka_partition").to_pylist(),
                                t.column("kafka_offset").to_pylist()):
            if topic_ == topic:
                found.setdefault(p, []).append(o)
    return {p: sorted(v) for p, v in found.items()}


def _cli(*args):
    return [sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka", "--progress-interval", "0",
            *args]


def _publish_one_by_one(broker, topic, articles):
    """A one-partition topic holding the articles, one record per produce request: Tansu serves
    whole stored batches whatever the fetch size, and small batches keep a read from having every
    record before the broker goes."""
    create_topic(broker.bootstrap_servers, topic, 1)
    wait_for_partitions(broker.bootstrap_servers, topic)
    p = producer(broker.bootstrap_servers, linger_ms=0)
    for line in payloads(articles):
        p.send(topic, line).get(timeout=10)
    p.close()


def _small_fetches_cli(broker, topic, out):
    """A bounded run that waits 4 s for a broker gone and fetches a few records at a time."""
    return _cli("--bootstrap-servers", broker.bootstrap_servers, "--topic", topic, "--output", str(out),
                "--broker-timeout", "4", "--consumer-config", "max_partition_fetch_bytes=3000",
                "--consumer-config", "fetch_max_bytes=3000", "--consumer-config", "max_poll_records=4")


def _wait(predicate, proc, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        assert proc.poll() is None, f"the run exited with {proc.returncode} before {what}"
        time.sleep(0.2)
    raise AssertionError(f"{what}: not after {timeout} s")


def _rows(out) -> int:
    try:
        return read(out, "articles").num_rows
    except (OSError, ValueError):  # a directory appearing while it is listed
        return 0


def test_undecodable_header_key_is_read_as_a_key_that_keeps_its_bytes():
    from kafka.record.default_records import DefaultRecordBatchBuilder, DefaultRecordBatch

    install()
    builder = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=False, producer_id=-1,
                                        producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
    builder.append(0, timestamp=1, key=None, value=b"v0", headers=[("ok", b"1")])
    builder.append(1, timestamp=1, key=None, value=b"v1", headers=[(_RawHeaderKey(b"\xffk"), b"2")])
    builder.append(2, timestamp=1, key=None, value=b"v2", headers=[])
    records = list(DefaultRecordBatch(bytes(builder.build())))
    assert [r.value for r in records] == [b"v0", b"v1", b"v2"]
    assert header_error(records[0].headers) is None
    key = records[1].headers[0][0]
    assert isinstance(key, UndecodableHeaderKey) and key.raw == b"\xffk" and key == "\\xffk"
    assert "not UTF-8" in header_error(records[1].headers)


def test_malformed_header_at_every_position_of_a_batch_is_a_dead_letter(broker, corpus, tmp_path):
    topic, size = "bad-headers", 4
    create_topic(broker.bootstrap_servers, topic, 1)
    wait_for_partitions(broker.bootstrap_servers, topic)
    lines = payloads(_articles(corpus, size * size, "hdr"))
    p = producer(broker.bootstrap_servers, linger_ms=1000)
    try:
        for batch in range(size):  # one producer batch each; its bad record at position `batch`
            for position in range(size):
                bad = position == batch
                p.send(topic, lines[batch * size + position],
                       headers=[(_RawHeaderKey(b"\xff\xfekey") if bad else "source", b"wire")])
            p.flush()
    finally:
        p.close()
    out = tmp_path / "out"
    run_kafka(broker, topic, out)
    dead = read(out, "dead_letter").to_pylist()
    assert sorted(d["kafka_offset"] for d in dead) == [b * size + b for b in range(size)]
    assert {d["reason"] for d in dead} == {"invalid_header"}
    assert all("not UTF-8" in d["detail"] for d in dead)
    assert all(json.loads(d["raw"])["id"].startswith("hdr-") for d in dead)  # the raw bytes are kept
    assert [h["key"] for h in dead[0]["kafka_headers"]] == ["\\xff\\xfekey"]
    assert _offsets(out, topic) == {0: list(range(size * size))}  # rows + dead letters = records


def test_bounded_run_stops_when_the_broker_dies_mid_read_and_says_what_it_did_not_read(corpus, tmp_path):
    out, topic, n = tmp_path / "out", "dying", 1500
    with EmbeddedBroker() as broker:
        _publish_one_by_one(broker, topic, _articles(corpus, n, "dying"))
        log = open(tmp_path / "run.log", "wb")
        proc = subprocess.Popen(_small_fetches_cli(broker, topic, out), stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            _wait(lambda: _rows(out) > 0, proc, 180, "the first rows")
        except BaseException:
            proc.kill()
            raise
    try:  # it ends by itself: the bundle in hand is written, then the read stops (no hang)
        stdout, _ = proc.communicate(timeout=300)
    finally:
        proc.kill()
    stderr = (tmp_path / "run.log").read_text(errors="replace")
    assert proc.returncode == 3, stderr[-3000:]
    assert "newsevents run report" in stdout
    assert "reachable again" not in stderr
    stopped = [line for line in stderr.splitlines() if line.startswith(f"newsevents run: not read: {topic}[0]")]
    assert stopped, stderr[-3000:]
    at = int(stopped[0].split("from offset ")[1].split()[0])
    assert 0 < at < n
    assert "offsets not confirmed" in stderr  # the broker is gone: nothing says they were committed
    assert _offsets(out, topic) == {0: list(range(at))}  # every record before the stop, nothing after


def test_frozen_broker_is_waited_for_and_the_run_completes(corpus, tmp_path):
    out, topic, n = tmp_path / "out", "frozen", 40
    with EmbeddedBroker() as broker:
        _publish_one_by_one(broker, topic, _articles(corpus, n, "frozen"))
        log = tmp_path / "run.log"
        proc = subprocess.Popen(_small_fetches_cli(broker, topic, out), stdout=subprocess.DEVNULL,
                                stderr=open(log, "wb"))
        try:  # frozen as the read begins, for twice the broker timeout: it still accepts connections
            _wait(lambda: f"reading {topic}[0]" in log.read_text(errors="replace"), proc, 180, "the read")
            os.kill(broker.process.pid, signal.SIGSTOP)
            time.sleep(8)
            os.kill(broker.process.pid, signal.SIGCONT)
            proc.wait(timeout=180)
        finally:
            os.kill(broker.process.pid, signal.SIGCONT)
            proc.kill()
        stderr = log.read_text(errors="replace")
        assert proc.returncode == 0, stderr[-3000:]
        assert "not read" not in stderr
        assert committed_offsets(broker.bootstrap_servers, "newsevents", [(topic, 0)]) == {(topic, 0): n}
    assert _offsets(out, topic) == {0: list(range(n))}


def test_sigkill_during_a_catch_up_loses_nothing_and_writes_as_it_goes(broker, corpus, tmp_path):
    out, topic, n = tmp_path / "out", "catch-up", 120
    create_topic(broker.bootstrap_servers, topic, 2)
    wait_for_partitions(broker.bootstrap_servers, topic)
    p = producer(broker.bootstrap_servers, linger_ms=50)
    for line in payloads(_articles(corpus, n, "backlog")):
        p.send(topic, line)
    p.flush()
    p.close()
    args = _cli("--bootstrap-servers", broker.bootstrap_servers, "--topic", topic, "--streaming",
                "--start", "committed", "--group-id", "catch-up", "--output", str(out))
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "run1.log", "wb"))
    try:
        _wait(lambda: _rows(out) > 0, proc, 180, "the first rows")
        first = _rows(out)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    # The backlog is written bundle by bundle (about a second's work each), not all at its end.
    assert first < n / 2, first
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "run2.log", "wb"))
    try:
        _wait(lambda: _rows(out) >= n, proc, 240, "all rows after the restart")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    ids = read(out, "articles").column("article_id").to_pylist()
    assert sorted(ids) == sorted(f"backlog-{i}" for i in range(n))  # nothing lost, nothing twice
    offsets = _offsets(out, topic)
    assert sum(len(v) for v in offsets.values()) == n
    assert all(v == list(range(len(v))) for v in offsets.values())
    c = consumer(broker.bootstrap_servers, group_id="catch-up")
    try:
        assert sum(c.committed(TopicPartition(topic, p)) or 0 for p in range(2)) == n
    finally:
        c.close()


def test_bundle_pacer_sizes_bundles_to_the_pipelines_work():
    pacer = BundlePacer(target_s=1.0, max_records=20_000, first=24, floor=12)
    pacer.bundle_started(0.0)
    assert pacer.cap("t[0]") == 24  # nothing measured yet
    pacer.done("t[0]", 24, True)
    # 24 records took 0.6 s: 40 a second.
    pacer.bundle_started(0.6)
    assert pacer.cap("t[0]") == 40
    pacer.done("t[0]", 40, True)
    # 40 records took 0.8 s: 0.3 s a bundle and 1/80 s a record, so 56 records fill a second.
    pacer.bundle_started(1.4)
    assert pacer.cap("t[0]") == 56
    # Two partitions behind share the bundle.
    pacer.done("t[0]", 28, True)
    pacer.done("t[1]", 28, True)
    pacer.bundle_started(2.4)
    assert 50 <= pacer.bundle_records() <= 60
    assert pacer.cap("t[0]") == pacer.cap("t[1]") == pacer.bundle_records() // 2
    measured = pacer.bundle_records()
    pacer.done("t[0]", 0, False)  # idle partitions: nothing read, nothing measured
    pacer.done("t[1]", 0, False)
    pacer.bundle_started(2.5)
    assert pacer.bundle_records() == measured


def test_bundle_pacer_keeps_the_fixed_cost_of_a_bundle_below_half():
    pacer = BundlePacer(target_s=1.0, max_records=20_000, first=24, floor=12)
    for start, records, seconds in ((0.0, 24, 1.7), (1.7, 12, 1.55)):  # 1.4 s a bundle, 1/80 s a record
        pacer.bundle_started(start)
        pacer.cap("t[0]")
        pacer.done("t[0]", records, True)
    pacer.bundle_started(3.25)
    # Bundles of a second would be mostly fixed cost: the target becomes 2.8 s, 112 records.
    assert pacer.cap("t[0]") == 112


def test_run_report_lines_for_offsets_the_group_does_not_have(broker, topic):
    from newsevents.pipelines.report import kafka_incomplete
    from newsevents.transforms.kafka_io import KafkaReadConfig, READ_TO_NAMESPACE

    class _Gauge:
        def __init__(self, name, value):
            self.key = type("K", (), {"metric": type("M", (), {"name": name})()})()
            self.committed, self.attempted = type("G", (), {"value": value})(), None

    class _Result:  # what a runner's PipelineResult gives: gauges of the read offsets
        def metrics(self):
            return self

        def query(self, flt):
            gauges = [_Gauge(f"{topic}[0]", 7)] if READ_TO_NAMESPACE in flt.namespaces else []
            return {"gauges": gauges, "counters": []}

    config = KafkaReadConfig(bootstrap_servers=broker.bootstrap_servers, topics=(topic,), group_id="never")
    lines = kafka_incomplete(_Result(), config)
    assert lines == [f"offsets not committed: {topic}[0] was read to offset 7, group 'never' is at no offset; "
                     f"a run with --start committed reads those records again (their rows are skipped as replays)"]
