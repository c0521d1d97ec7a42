"""Operating the streaming pipeline: graceful stop, resume, crashes, broker outage, bad output, floods.

Each test runs the real CLI in a subprocess against the embedded broker, as an operator would.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest
from kafka import TopicPartition

from newsevents.kafka.broker import EmbeddedBroker
from newsevents.kafka.client import consumer, create_topic, log_end_offsets, produce_lines, wait_for_partitions

from helpers import payloads, publish, read


def _start(*args, log_path):
    cmd = [sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka", *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(log_path, "wb"), text=True)


def _wait_for_articles(out, ids, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"pipeline exited early with {proc.returncode}"
        try:
            have = set(read(out, "articles").column("article_id").to_pylist())
        except (OSError, ValueError):  # a directory appearing while listed
            have = set()
        if set(ids) <= have:
            return
        time.sleep(0.5)
    raise AssertionError(f"articles missing after {timeout} s: {sorted(set(ids) - have)[:5]}")


def _wait_for_log(path, text, proc, timeout=120):
    """Until the run logs `text`: a signal sent before the CLI installs its handlers would kill it outright."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"pipeline exited early with {proc.returncode}"
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not logged after {timeout} s")


def _committed(servers, topic, group, partitions=3):
    c = consumer(servers, group_id=group)
    try:
        return {p: c.committed(TopicPartition(topic, p)) for p in range(partitions)}
    finally:
        c.close()


def _ends(servers, topic, partitions=3):
    c = consumer(servers)
    try:
        return {tp.partition: o for tp, o in log_end_offsets(c, [TopicPartition(topic, p)
                                                                 for p in range(partitions)]).items()}
    finally:
        c.close()


def _visible_files_complete(out):
    for d, _, files in os.walk(out):
        for f in files:
            if not f.startswith("."):
                pq.ParquetFile(os.path.join(d, f)).metadata  # noqa: B018  reading it raises on a partial file


def _article_key(line: bytes) -> bytes:
    """Keyed by article id, so a re-publish puts every article at the same partition and offset."""
    return json.loads(line)["id"].encode()


@pytest.mark.slow
def test_sigterm_stops_gracefully_then_resumes_from_committed(broker, topic, corpus, tmp_path):
    servers, out = broker.bootstrap_servers, tmp_path / "out"
    first, later = corpus[:8], corpus[8:12]
    publish(broker, topic, payloads(first))
    proc = _start("--bootstrap-servers", servers, "--topic", topic, "--streaming", "--group-id", "ops",
                  "--output", str(out), "--progress-interval", "1", log_path=tmp_path / "run.log")
    try:
        _wait_for_articles(out, [a["id"] for a in first], proc)
        time.sleep(2.5)  # one more progress line
        stop_sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, _ = proc.communicate(timeout=20)
    finally:
        proc.kill()
    log = (tmp_path / "run.log").read_text()
    assert proc.returncode == 0, log[-3000:]
    assert time.monotonic() - stop_sent < 10
    assert "SIGTERM received" in log and "Traceback" not in log
    assert "read=8 articles=8" in log  # the progress line
    assert "articles accepted" in stdout  # the final report
    committed = _committed(servers, topic, "ops")  # an empty partition has nothing to commit
    assert {p: c or 0 for p, c in committed.items()} == _ends(servers, topic)

    publish(broker, topic, payloads(later))
    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka",
                           "--bootstrap-servers", servers, "--topic", topic, "--group-id", "ops", "--start", "committed",
                           "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"records read\s+│\s+4\s", proc.stdout), proc.stdout  # only the newer records
    # This run's articles next to the output's, which holds the first run's too.
    assert re.search(rf"articles accepted\s+│\s+4\s+│\s+{len(first) + 4}\s", proc.stdout), proc.stdout
    assert sorted(read(out, "articles").column("article_id").to_pylist()) == sorted(a["id"] for a in first + later)


@pytest.mark.slow
def test_sigkill_mid_run_then_restart_loses_nothing(broker, topic, corpus, tmp_path):
    servers, out = broker.bootstrap_servers, tmp_path / "out"
    articles = corpus[:30]
    publish(broker, topic, payloads(articles[:10]))
    args = ("--bootstrap-servers", servers, "--topic", topic, "--streaming", "--group-id", "crash",
            "--start", "committed", "--output", str(out))
    proc = _start(*args, log_path=tmp_path / "run1.log")
    try:
        _wait_for_articles(out, [articles[0]["id"]], proc)
        publish(broker, topic, payloads(articles[10:]))  # arrives while it runs; the kill catches some in flight
        time.sleep(1.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    _visible_files_complete(out)
    proc = _start(*args, log_path=tmp_path / "run2.log")
    try:
        # run 1 may have written every article before the kill (without committing): the restart
        # must then be up, not merely started, before it is told to stop.
        _wait_for_log(tmp_path / "run2.log", "running kafka", proc)
        _wait_for_articles(out, [a["id"] for a in articles], proc)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, (tmp_path / "run2.log").read_text()[-3000:]
    _visible_files_complete(out)
    ids = read(out, "articles").column("article_id").to_pylist()
    assert set(ids) == {a["id"] for a in articles} and len(ids) == len(set(ids))
    for name in ("summit", "tariff", "defense_spending"):
        event_ids = read(out, f"events/{name}").column("event_id").to_pylist()
        assert len(event_ids) == len(set(event_ids))


@pytest.mark.slow
def test_broker_outage_is_survived_and_logged(corpus, tmp_path):
    out, topic = tmp_path / "out", "outage"
    articles = corpus[:20]
    lines = payloads(articles)
    broker = EmbeddedBroker()
    broker.__enter__()
    port, servers = broker.port, broker.bootstrap_servers

    def publish_all(batch):
        create_topic(servers, topic, 3)
        wait_for_partitions(servers, topic)
        # One record per produce request: Tansu (memory storage) serves fetches only from the start
        # of a stored batch, and the resumed consumer sits in the middle of the republished log.
        for line in batch:
            produce_lines(servers, topic, [line], key_fn=_article_key, extra={"linger_ms": 0})

    publish_all(lines[:10])
    proc = _start("--bootstrap-servers", servers, "--topic", topic, "--streaming", "--output", str(out),
                  "--progress-interval", "2", log_path=tmp_path / "run.log")
    try:
        _wait_for_articles(out, [a["id"] for a in articles[:10]], proc)
        broker.__exit__(None, None, None)
        time.sleep(4)  # gone for a while: the run logs the outage, then the broker's return
        broker = EmbeddedBroker(port=port)
        broker.__enter__()
        publish_all(lines)  # memory storage lost the topic: publish it again, the same records at the same offsets
        _wait_for_articles(out, [a["id"] for a in articles], proc, timeout=90)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    finally:
        proc.kill()
        broker.__exit__(None, None, None)
    log = (tmp_path / "run.log").read_text()
    assert proc.returncode == 0, log[-3000:]
    assert "unreachable" in log and "reachable again" in log, log[-3000:]
    assert "Traceback" not in log
    ids = read(out, "articles").column("article_id").to_pylist()
    assert sorted(ids) == sorted(a["id"] for a in articles)


@pytest.mark.slow
def test_unwritable_output_is_a_clear_error_and_commits_nothing(broker, topic, corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles").write_text("a file where the dataset directory should be")
    publish(broker, topic, payloads(corpus[:4]))
    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "kafka",
                           "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic, "--group-id", "unwritable",
                           "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "cannot create the output directory" in proc.stderr and str(out / "articles") in proc.stderr
    assert "Traceback" not in proc.stderr
    assert set(_committed(broker.bootstrap_servers, topic, "unwritable").values()) == {None}


def _flood_messages():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = st.text(min_size=0, max_size=300)
    good = st.builds(lambda i, t: json.dumps({"id": f"flood-{i}", "title": "Leaders meet",
                                              "text": "Leaders met in Geneva for talks on trade. " + t}).encode(),
                     st.integers(0, 10**9), text)
    bad = st.one_of(
        st.binary(min_size=0, max_size=200),                                           # random bytes
        good.map(lambda b: b[: max(1, len(b) // 2)]),                                  # truncated JSON
        st.builds(lambda v: json.dumps({"id": "typed", "text": v}).encode(),
                  st.one_of(st.integers(), st.lists(st.integers()), st.booleans(), st.none())),
        st.just(b"{}"), st.just(b"[]"), st.just(b"null"), st.just(b'"text"'),
        st.just(b"\xff\xfe{\"text\": \"bad encoding\"}"),
    )
    found = []

    # Hypothesis starts with its simplest example (all alike); the later ones are the varied ones.
    @settings(max_examples=4, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.one_of(good, bad, bad), min_size=100, max_size=100))
    def draw(messages):
        found.append(messages)

    draw()
    huge = json.dumps({"id": "huge", "text": "word " * 2_100_000}).encode()  # about 10 MB of text
    return [m for example in found[1:] for m in example] + [huge, b""]


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_flood_of_bad_messages_is_fully_accounted_for(broker, topic, tmp_path):
    from helpers import run_kafka
    messages = _flood_messages()
    n = publish(broker, topic, messages)
    out = tmp_path / "out"
    run_kafka(broker, topic, out)
    articles, dead = read(out, "articles"), read(out, "dead_letter")
    assert articles.num_rows + dead.num_rows == n
    reasons = set(dead.column("reason").to_pylist())
    assert {"invalid_json", "message_too_large", "empty_message", "wrong_type"} <= reasons, reasons
    # Every dead letter keeps its raw bytes and Kafka coordinates.
    assert all(r["raw"] is not None or r["raw_size"] == 0 for r in dead.select(["raw", "raw_size"]).to_pylist())
    assert set(dead.column("kafka_topic").to_pylist()) == {topic}
