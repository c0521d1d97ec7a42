"""Kafka as it is used in the field: every compression codec, keys and headers, times, shared groups."""
import re
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from newsevents.kafka.client import producer
from newsevents.pipelines import cli

from helpers import payloads, read, run_kafka
from test_kafka_source import read_topic

CODECS = ("gzip", "snappy", "lz4", "zstd")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat()


def _send(broker, topic, messages, **settings):
    """messages: (value, partition, timestamp_ms, key, headers) tuples, sent in order and flushed."""
    p = producer(broker.bootstrap_servers, **settings)
    try:
        for value, partition, ms, key, headers in messages:
            p.send(topic, value, partition=partition, timestamp_ms=ms, key=key, headers=headers)
        p.flush()
    finally:
        p.close()


@pytest.mark.slow
@pytest.mark.parametrize("codec", CODECS)
def test_every_producer_codec_is_read_out_of_the_box(broker, topic, tmp_path, codec):
    values = [f"{codec}-{i}-" + "x" * (i % 50) for i in range(300)]
    _send(broker, topic, [(v.encode(), i % 3, None, None, None) for i, v in enumerate(values)],
          compression_type=codec)
    rows = read_topic(broker, topic, tmp_path, commit_offsets=False)
    assert sorted(r[2] for r in rows) == sorted(values)


@pytest.mark.slow
@pytest.mark.parametrize("compressed_last", [False, True], ids=["mid-partition", "last-batch"])
def test_a_missing_codec_is_one_line_naming_partition_and_offset(broker, topic, corpus, tmp_path, monkeypatch,
                                                                 capsys, compressed_last):
    """Partition 1 holds 3 plain records, then a snappy batch at offsets 3-5 (then 3 plain ones, or
    not: the end-offset probe meets the batch first). The other partitions are plain."""
    import kafka.codec

    plain = payloads(corpus[:3])
    _send(broker, topic, [(v, p, None, None, None) for p in range(3) for v in plain])
    _send(broker, topic, [(v, 1, None, None, None) for v in payloads(corpus[3:6])], compression_type="snappy")
    if not compressed_last:
        _send(broker, topic, [(v, 1, None, None, None) for v in payloads(corpus[6:9])])
    monkeypatch.setattr(kafka.codec, "has_snappy", lambda: False)
    rc = cli.main(["run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic,
                   "--output", str(tmp_path / "out"), "--no-commit", "--progress-interval", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    # The read names the batch's first offset; the end-offset probe the offset it fetched from.
    offset = "3" if not compressed_last else "[3-5]"
    assert re.fullmatch(f"newsevents run: error: cannot read {topic}\\[1\\] at offset {offset}: its records are "
                        "snappy-compressed and the snappy codec is not installed \\(pip install python-snappy\\)",
                        err[-1]), err[-1]
    assert not any("Traceback" in line for line in err)


@pytest.mark.slow
def test_keys_headers_and_timestamps_reach_articles_and_dead_letters(broker, topic, corpus, tmp_path):
    ms = 1_750_000_000_123
    headers = [("trace-id", b"\x00\xffabc"), ("source-system", b"wire"), ("trace-id", b"second")]
    good = [(v, i % 3, ms + i, a["id"].encode(), headers) for i, (v, a) in enumerate(zip(payloads(corpus[:4]),
                                                                                        corpus[:4]))]
    unkeyed = [(payloads(corpus[4:5])[0], 0, ms, None, None)]
    bad = [(b'{"id": "broken", "text": ', 2, ms + 99, b"bad-key", [("why", b"truncated")])]
    _send(broker, topic, good + unkeyed + bad)
    out = tmp_path / "out"
    run_kafka(broker, topic, out, commit_offsets=False)

    articles = {r["article_id"]: r for r in read(out, "articles").to_pylist()}
    assert len(articles) == 5
    for i, a in enumerate(corpus[:4]):
        row = articles[a["id"]]
        assert row["kafka_key"] == a["id"].encode()
        assert [(h["key"], h["value"]) for h in row["kafka_headers"]] == headers
        assert row["kafka_timestamp"] == datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms + i)
    plain = articles[corpus[4]["id"]]
    assert plain["kafka_key"] is None and plain["kafka_headers"] == []
    [dead] = read(out, "dead_letter").to_pylist()
    assert (dead["kafka_key"], dead["kafka_headers"]) == (b"bad-key", [{"key": "why", "value": b"truncated"}])
    assert dead["kafka_timestamp"] == datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms + 99)


def _timed_partition(broker, topic, base_ms, n=10):
    """Partition 0: record i stamped base_ms + i seconds."""
    _send(broker, topic, [(f"t{i}".encode(), 0, base_ms + 1000 * i, None, None) for i in range(n)])


@pytest.mark.slow
def test_times_resolve_to_the_right_records(broker, topic, tmp_path):
    base = int(time.time() * 1000) - 60_000
    _timed_partition(broker, topic, base)
    between_4_and_5 = _iso(base + 4500)
    rows = read_topic(broker, topic, tmp_path, start=between_4_and_5, commit_offsets=False)
    assert sorted(r[2] for r in rows) == [f"t{i}" for i in range(5, 10)]
    rows = read_topic(broker, topic, tmp_path, stop_read_time=between_4_and_5, commit_offsets=False)
    assert sorted(r[2] for r in rows) == [f"t{i}" for i in range(5)]
    rows = read_topic(broker, topic, tmp_path, start=_iso(base + 2000), stop_read_time=_iso(base + 7000),
                      commit_offsets=False)
    assert sorted(r[2] for r in rows) == [f"t{i}" for i in range(2, 7)]


@pytest.mark.slow
def test_a_future_start_reads_nothing_and_a_future_stop_reads_to_the_end(broker, topic, tmp_path):
    base = int(time.time() * 1000) - 60_000
    _timed_partition(broker, topic, base)
    in_an_hour = _iso(int(time.time() * 1000) + 3_600_000)
    assert read_topic(broker, topic, tmp_path, start=in_an_hour, commit_offsets=False) == []
    rows = read_topic(broker, topic, tmp_path, stop_read_time=in_an_hour, commit_offsets=False)
    assert sorted(r[2] for r in rows) == [f"t{i}" for i in range(10)]


@pytest.mark.slow
def test_streaming_reads_up_to_a_future_stop_time_then_ends(broker, topic, tmp_path):
    """Records produced before the stop time are read, also those produced during the run; the read
    ends at the first record stamped at or after it, and idle partitions end once the clock passes it."""
    now = int(time.time() * 1000)
    stop = now + 12_000
    _send(broker, topic, [(b"before", 0, now, None, None), (b"before", 1, now, None, None)])
    late = [(b"stamped-late", 1, stop + 60_000, None, None), (b"after-late", 1, now, None, None)]
    _send(broker, topic, late)
    during = threading.Timer(4.0, _send, (broker, topic, [(b"during", 2, None, None, None)]))
    during.start()
    started = time.monotonic()
    rows = read_topic(broker, topic, tmp_path, bounded=False, stop_read_time=_iso(stop), commit_offsets=False)
    during.join()
    assert sorted(r[2] for r in rows) == ["before", "before", "during"]
    assert time.monotonic() - started < 60


def _cli_run(broker, topic, out, group, *extra):
    import subprocess
    import sys
    return subprocess.Popen(
        [sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka", "--streaming",
         "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic, "--output", str(out),
         "--group-id", group, "--progress-interval", "0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_a_second_streaming_process_of_a_group_is_refused_until_the_first_stops(broker, topic, corpus, tmp_path):
    import signal

    group = f"lease-{uuid.uuid4().hex[:6]}"
    _send(broker, topic, [(v, None, None, None, None) for v in payloads(corpus[:3])])
    first = _cli_run(broker, topic, tmp_path / "a", group)
    try:
        deadline = time.monotonic() + 90
        while not (tmp_path / "a" / "articles").exists():  # the first run is reading
            assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()[-2000:]
            time.sleep(0.5)
        time.sleep(2 * 2.0)  # a few heartbeats: the lease is kept while the topic is idle
        second = _cli_run(broker, topic, tmp_path / "b", group)
        _, err = second.communicate(timeout=90)
        assert second.returncode == 2
        lines = err.strip().splitlines()
        assert lines[-1].startswith("newsevents run: error: ") and "Traceback" not in err, err
        assert f"consumer group '{group}' already has a streaming run on {topic}" in lines[-1]
        assert f"pid {first.pid}," in lines[-1] and "--group-id" in lines[-1] and "parallelism" in lines[-1]
        assert not (tmp_path / "b" / "articles").exists()
        assert first.poll() is None  # the first run goes on
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)
    assert first.returncode == 0
    # Stopped gracefully, it released the lease: the same group starts again at once.
    third = _cli_run(broker, topic, tmp_path / "c", group, "--max-read-time", "3")
    _, err = third.communicate(timeout=120)
    assert third.returncode == 0, err[-2000:]
