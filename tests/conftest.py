"""Shared fixtures: one embedded Kafka broker per test session, topics, pipeline runs, output readers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from newsevents.kafka.broker import EmbeddedBroker, free_port  # noqa: E402
from newsevents.evaluation.corpus import corpus_path, read_jsonl  # noqa: E402
from newsevents.kafka.client import create_topic, wait_for_partitions  # noqa: E402


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(log_path=str(log)) as b:
        yield b


@pytest.fixture
def topic(broker):
    """A fresh 3-partition topic for one test."""
    name = f"articles-{uuid.uuid4().hex[:8]}"
    create_topic(broker.bootstrap_servers, name, 3)
    wait_for_partitions(broker.bootstrap_servers, name)
    return name


@pytest.fixture(scope="session")
def corpus():
    return read_jsonl(corpus_path("train")) + read_jsonl(corpus_path("heldout"))


@pytest.fixture(scope="module")
def job_service(tmp_path_factory):
    """Beam's own local job service: the same gRPC submission path a Flink or Spark job server offers
    (and, for the template launcher, the stand-in for Dataflow)."""
    port = free_port()
    log = tmp_path_factory.mktemp("jobservice") / "job_service.log"
    proc = subprocess.Popen([sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
    deadline = time.monotonic() + 60
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.2)
    yield f"localhost:{port}"
    proc.terminate()
    proc.wait(timeout=10)
