"""``newsevents demo``: the whole product on the embedded default, with a printed report."""
from __future__ import annotations

import json
import logging
import shutil
import time

from newsevents.kafka.broker import EmbeddedBroker
from newsevents.evaluation.corpus import corpus_path
from newsevents.kafka.client import create_topic, jsonl_payloads, produce_lines, wait_for_partitions

log = logging.getLogger(__name__)

# Malformed messages published next to the sample articles, to show the dead-letter output at work.
DEMO_BAD_MESSAGES = [
    b'{"id": "bad-json", "text": "The summit opened',            # truncated JSON
    json.dumps({"id": "no-text", "title": "A message without a body"}).encode(),
    json.dumps({"id": "wrong-type", "text": ["not", "a", "string"]}).encode(),
    b'{"id": "latin1", "text": "Caf\xe9 owners met the mayor to talk about parking."}',  # not UTF-8
]


def run_demo(output: str, topic: str, partitions: int, beam_args: list[str]) -> int:
    from newsevents.pipelines.config import RunConfig
    from newsevents.pipelines.pipeline import pipeline_options, run, runner_name
    from newsevents.pipelines.report import format_report, metric_total, summarize_output
    from newsevents.transforms.kafka_io import KafkaReadConfig

    started = time.monotonic()
    shutil.rmtree(output, ignore_errors=True)
    with EmbeddedBroker() as broker:
        servers = broker.bootstrap_servers
        print(f"[demo] embedded broker (Tansu) on {servers}", flush=True)
        create_topic(servers, topic, partitions)
        wait_for_partitions(servers, topic)
        payloads = [p for split in ("train", "heldout") for p in jsonl_payloads(str(corpus_path(split)))]
        n = produce_lines(servers, topic, payloads + DEMO_BAD_MESSAGES)
        print(f"[demo] published {len(payloads)} sample articles and {len(DEMO_BAD_MESSAGES)} malformed messages "
              f"to '{topic}' ({partitions} partitions)", flush=True)
        config = RunConfig(output=output, source="kafka",
                           kafka=KafkaReadConfig(bootstrap_servers=servers, topics=(topic,), group_id="newsevents-demo"))
        options = pipeline_options(config, beam_args)
        print(f"[demo] running the pipeline ({runner_name(options)}, bounded) ...", flush=True)
        result = run(config, options=options)
        read = metric_total(result, "kafka", "records_read")
    print(f"[demo] broker stopped; Parquet datasets in {output}/", flush=True)
    summary = summarize_output(output)
    print(format_report(summary, read if read is not None else n, time.monotonic() - started,
                        runner=runner_name(options)))
    print(f"\n[demo] explore the output: newsevents show {output}   |   newsevents plot {output} --out events.png")
    return 0
