"""Shared fixtures: one embedded Kafka broker per test session, topics, pipeline runs, output readers."""
from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from newsevents.broker import EmbeddedBroker  # noqa: E402
from newsevents.corpus import corpus_path, read_jsonl  # noqa: E402
from newsevents.kafka import create_topic, wait_for_partitions  # noqa: E402


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
