"""ReadFromKafka with the arguments of Beam's own ReadFromKafka, and what it shows on a job page."""
import json
import uuid
from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.transforms.display import DisplayData

from newsevents.kafka.client import committed_offsets
from newsevents.transforms.kafka_io import ReadFromKafka, read_config

from helpers import publish


class _AppendPairs(beam.DoFn):
    def __init__(self, path):
        self.path = path

    def start_bundle(self):
        self.lines = []

    def process(self, pair):
        key, value = pair
        self.lines.append(json.dumps([key.decode() if key else None, value.decode()]))

    def finish_bundle(self):
        with open(self.path, "a") as f:
            f.writelines(line + "\n" for line in self.lines)


@pytest.mark.slow
def test_beams_arguments_read_key_value_pairs_and_commit_in_finalize(broker, topic, tmp_path):
    publish(broker, topic, [f"v{i}".encode() for i in range(30)])
    out, group = tmp_path / "pairs.jsonl", f"api-{uuid.uuid4().hex[:6]}"
    with beam.Pipeline() as p:
        (p
         | ReadFromKafka(consumer_config={"bootstrap.servers": broker.bootstrap_servers, "group.id": group,
                                          "auto.offset.reset": "earliest"},
                         topics=[topic], max_num_records=12, commit_offset_in_finalize=True, with_metadata=False)
         | beam.ParDo(_AppendPairs(str(out))))
    pairs = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(pairs) == 12 and all(k is None and v.startswith("v") for k, v in pairs)
    committed = committed_offsets(broker.bootstrap_servers, group, [(topic, p) for p in range(3)])
    assert sum(o or 0 for o in committed.values()) == 12


def test_beams_arguments_become_the_read_config():
    config = read_config({"bootstrap.servers": ["a:9092", "b:9092"], "group.id": "g", "auto.offset.reset": "latest",
                          "security.protocol": "SASL_SSL", "max_poll_records": 50},
                         "articles", max_read_time=30, commit_offset_in_finalize=True, bounded=False)
    assert (config.bootstrap_servers, config.topics, config.group_id, config.start) == ("a:9092,b:9092",
                                                                                       ("articles",), "g", "latest")
    assert (config.max_read_time_s, config.commit_offsets, config.bounded) == (30, True, False)
    assert config.extra == {"security_protocol": "SASL_SSL", "max_poll_records": 50}
    ms = int(datetime(2026, 3, 1, 12, tzinfo=timezone.utc).timestamp() * 1000)
    assert read_config({"bootstrap.servers": "k:1"}, ["t"], start_read_time=ms).start == "2026-03-01T12:00:00+00:00"
    with pytest.raises(ValueError, match="bootstrap.servers"):
        read_config({"group.id": "g"}, ["t"])
    with pytest.raises(ValueError, match="auto.offset.reset"):
        read_config({"bootstrap.servers": "k:1", "auto.offset.reset": "none"}, ["t"])
    with pytest.raises(ValueError, match="not both"):
        ReadFromKafka({"bootstrap.servers": "k:1"}, ["t"], config=config)


def test_display_data_names_the_read_and_hides_secrets():
    read = ReadFromKafka(consumer_config={"bootstrap.servers": "k:9092", "group.id": "g",
                                          "sasl.plain.password": "hunter2"}, topics=["a", "b"], max_num_records=5)
    shown = {i.key: i.value for i in DisplayData.create_from(read).items}
    assert shown["bootstrap_servers"] == "k:9092" and shown["topics"] == "a,b" and shown["max_records"] == 5
    assert "hunter2" not in json.dumps(shown) and "***" in shown["consumer_config"]
