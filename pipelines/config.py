"""Configuration of a newsevents run, as plain dataclasses, built from the run's pipeline options."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from newsevents.models.abstractive import AbstractiveConfig
from newsevents.models.encoder import EncoderConfig
from newsevents.extraction.gate import GateConfig
from newsevents.models.summarize import SummarizerConfig
from newsevents.runtime.control import RunControl
from newsevents.transforms.kafka_io import KafkaReadConfig
from newsevents.output.parquet_files import ParquetWriteConfig
from newsevents.input.validation import InputLimits
from newsevents.models.zero_shot import ZeroShotConfig


@dataclass(frozen=True)
class RunConfig:
    output: str
    source: str = "jsonl"                     # jsonl | kafka
    input: Optional[str] = None               # JSON-lines file or glob, for source=jsonl
    kafka: Optional[KafkaReadConfig] = None   # for source=kafka
    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    classifier_dir: Optional[str] = None      # trained head; None: the one shipped with the package
    zero_shot: Optional[ZeroShotConfig] = None        # labels from an NLI model instead of the head
    abstractive: Optional[AbstractiveConfig] = None   # article summaries from a seq2seq model
    summarizer: SummarizerConfig = field(default_factory=SummarizerConfig)
    limits: InputLimits = field(default_factory=InputLimits)
    parquet: ParquetWriteConfig = field(default_factory=ParquetWriteConfig)
    # Articles per RunInference batch. Large batches let the encoder sort many sentences by
    # length (less padding); a bundle's end still flushes a smaller batch, so streaming latency
    # is not held back by it.
    inference_batch_size: int = 1024
    inference_min_batch_size: int = 256
    # Languages the classifier and the event rules are made for (ISO 639-1); articles in other
    # languages are kept in ``articles`` without events.
    languages: tuple[str, ...] = ("en",)
    # Which sentences the encoder sees (newsevents/extraction/gate.py); --no-gate encodes every sentence. The
    # gate works with the trained head only: a zero-shot model reads every sentence.
    gate: GateConfig = field(default_factory=GateConfig)
    # The run's stop marker and progress folder (newsevents/runtime/control.py); none by default.
    control: RunControl = field(default_factory=RunControl)

    def __post_init__(self):
        if self.source not in ("jsonl", "kafka"):
            raise ValueError(f"unknown source {self.source!r}: use jsonl or kafka")
        if self.source == "jsonl" and not self.input:
            raise ValueError("--source jsonl needs --input FILE")
        if self.source == "kafka" and self.kafka is None:
            raise ValueError("--source kafka needs --bootstrap-servers and --topic")

    @classmethod
    def from_options(cls, options) -> "RunConfig":
        """The config of the run that ``options`` describe: Beam's PipelineOptions (read through
        their NewsEventsOptions view) or that view itself. Values that only the models or
        kafka-python can judge are checked here, before any work."""
        from apache_beam.options.pipeline_options import PipelineOptions

        from newsevents.pipelines.flags import abstractive_config, encoder_config, languages, zero_shot_config
        from newsevents.pipelines.options import NewsEventsOptions
        o = options.view_as(NewsEventsOptions) if isinstance(options, PipelineOptions) else options
        _kafka_only(o)
        return cls(output=o.output, source=o.source, input=o.input, kafka=kafka_config(o),
                   zero_shot=zero_shot_config(o), abstractive=abstractive_config(o),
                   encoder=encoder_config(o, o.quantize), classifier_dir=o.classifier,
                   summarizer=SummarizerConfig(max_sentences=o.summary_sentences),
                   languages=languages(o.languages), gate=GateConfig(enabled=not o.no_gate),
                   parquet=ParquetWriteConfig(compression=o.compression, compact_interval_s=o.compact_interval,
                                              compact_min_files=o.compact_min_files))

    def with_control(self, control: RunControl) -> "RunConfig":
        """This config with the run's control, in the Kafka read's config too."""
        kafka = dataclasses.replace(self.kafka, control=control) if self.kafka is not None else None
        return dataclasses.replace(self, control=control, kafka=kafka)


def kafka_config(o) -> Optional[KafkaReadConfig]:
    if o.source != "kafka":
        return None
    from kafka import KafkaConsumer

    from newsevents.kafka.client import checked_client_config, parse_config_pairs, topic_names
    if not o.bootstrap_servers or not topic_names(o.topic):
        raise ValueError("--source kafka needs --bootstrap-servers and --topic")
    settings = checked_client_config(parse_config_pairs(o.consumer_config), KafkaConsumer, "--consumer-config")
    return KafkaReadConfig(
        bootstrap_servers=o.bootstrap_servers, topics=topic_names(o.topic), start=o.start,
        bounded=not o.streaming, max_records=o.max_records, max_read_time_s=o.max_read_time,
        stop_read_time=o.stop_read_time, group_id=o.group_id, commit_offsets=not o.no_commit,
        broker_timeout_s=o.broker_timeout, consumer_config=tuple(sorted(settings.items())))


def _kafka_only(o) -> None:
    """Kafka's options given with a file source would be ignored without a word. (A Kafka run
    with --input is left alone: a Flex Template passes every parameter it was given.)"""
    kafka = [("--bootstrap-servers", o.bootstrap_servers), ("--topic", o.topic),
             ("--max-records", o.max_records), ("--max-read-time", o.max_read_time),
             ("--stop-read-time", o.stop_read_time), ("--consumer-config", o.consumer_config),
             ("--streaming", o.streaming), ("--no-commit", o.no_commit),
             ("--broker-timeout", o.broker_timeout)]
    if o.source == "jsonl":
        given = [flag for flag, value in kafka if value]
        if given:
            raise ValueError(f"{', '.join(given)}: only with --source kafka (this run reads {o.input or 'a file'})")
