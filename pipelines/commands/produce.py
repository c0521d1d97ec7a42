"""``newsevents produce``: a JSON-lines file to a Kafka topic, one message per line."""
from __future__ import annotations

import logging

from newsevents.pipelines.flags import add_kafka_args, partitions

log = logging.getLogger("newsevents")


def add_parser(sub) -> None:
    produce = sub.add_parser("produce", help="publish a JSON-lines file to a Kafka topic, one message per line")
    produce.add_argument("--input", required=True)
    produce.add_argument("--partitions", type=partitions, default=3,
                         help="partitions if the topic must be created")
    add_kafka_args(produce, consumer=False)


def main(args, _beam_args) -> int:
    from kafka import KafkaProducer

    from newsevents.kafka.client import (checked_client_config, create_topic, jsonl_payloads, parse_config_pairs,
                                         produce_lines, topic_names)
    topics = topic_names(args.topic)
    if not args.bootstrap_servers or len(topics) != 1:
        raise ValueError("produce needs --bootstrap-servers and exactly one --topic")
    extra = checked_client_config(parse_config_pairs(args.producer_config), KafkaProducer, "--producer-config")
    if create_topic(args.bootstrap_servers, topics[0], args.partitions):
        log.info("created topic %s with %d partitions", topics[0], args.partitions)
    n = produce_lines(args.bootstrap_servers, topics[0], jsonl_payloads(args.input), extra=extra)
    print(f"published {n} messages from {args.input} to {topics[0]} on {args.bootstrap_servers}")
    return 0
