"""Running the real pipeline and reading its Parquet output back with pyarrow."""
from __future__ import annotations

import json
import time

import pyarrow as pa

from newsevents import EVENT_TYPES
from newsevents.kafka.client import produce_lines
from newsevents.pipelines.config import RunConfig
from newsevents.pipelines.pipeline import run
from newsevents.pipelines.report import read_dataset
from newsevents.transforms.kafka_io import KafkaReadConfig


def run_jsonl(path, output, **kw):
    return run(RunConfig(output=str(output), source="jsonl", input=str(path), **kw))


def run_kafka(broker, topic, output, beam_args=None, **kafka_kw):
    config = KafkaReadConfig(bootstrap_servers=broker.bootstrap_servers, topics=(topic,), **kafka_kw)
    return run(RunConfig(output=str(output), source="kafka", kafka=config), beam_args or [])


def read(output, dataset) -> pa.Table:
    return read_dataset(str(output), dataset)


def events(output) -> dict[str, pa.Table]:
    return {t: read(output, f"events/{t}") for t in EVENT_TYPES}


def payloads(articles) -> list[bytes]:
    return [json.dumps(a, ensure_ascii=False).encode() for a in articles]


def publish(broker, topic, messages) -> int:
    return produce_lines(broker.bootstrap_servers, topic, messages)


# Malformed inputs, each with the dead-letter reason it must get.
BAD_MESSAGES = {
    b'{"id": "truncated", "text": "Leaders met in': "invalid_json",
    json.dumps({"id": "no-text", "title": "Only a title"}).encode(): "missing_text",
    json.dumps({"id": "list-text", "text": ["a", "list"]}).encode(): "wrong_type",
    b'{"id": "latin1", "text": "The caf\xe9 owners met the mayor to discuss parking rules."}': "invalid_utf8",
    b'[1, 2, 3]': "not_an_object",
}


def main_error(capsys, argv, *expected):
    """An operator's mistake, in process: exit 2 and one line on stderr naming it."""
    from newsevents.pipelines.cli import main
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own exit
        code = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, (code, err)
    for text in expected:
        assert text in err[0], err[0]


def wait_until(condition, timeout=20.0) -> bool:
    """Polls ``condition`` every 0.1 s; whether it held before ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
