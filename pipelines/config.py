"""Configuration of a newsevents run, as plain dataclasses."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from newsevents.models.abstractive import AbstractiveConfig
from newsevents.models.encoder import EncoderConfig
from newsevents.extraction.gate import GateConfig
from newsevents.models.summarize import SummarizerConfig
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

    def __post_init__(self):
        if self.source not in ("jsonl", "kafka"):
            raise ValueError(f"unknown source {self.source!r}: use jsonl or kafka")
        if self.source == "jsonl" and not self.input:
            raise ValueError("--source jsonl needs --input FILE")
        if self.source == "kafka" and self.kafka is None:
            raise ValueError("--source kafka needs --bootstrap-servers and --topic")
