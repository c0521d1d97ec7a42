"""The element types that flow between the pipeline's steps."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Optional

import numpy as np

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# The key under which a row carries the SourceRecord it was made from to the Parquet writer, which
# removes it: a row the writer refuses (a duplicate, or a row its schema rejects) becomes a dead
# letter with the input's bytes and coordinates.
ROW_SOURCE = "__source__"


@dataclass(slots=True)
class SourceRecord:
    """One raw input: a Kafka message or a line of a JSON-lines file, with where it came from."""
    value: Optional[bytes]
    topic: Optional[str] = None
    partition: Optional[int] = None
    offset: Optional[int] = None
    key: Optional[bytes] = None
    timestamp_ms: Optional[int] = None
    timestamp_type: Optional[int] = None
    headers: tuple = ()
    input_file: Optional[str] = None
    input_line: Optional[int] = None
    # Why the source could not take the record's headers as they are (a key that is not UTF-8,
    # newsevents/kafka/headers.py): parsing makes the record an ``invalid_header`` dead letter.
    header_error: Optional[str] = None

    def coordinates(self) -> dict:
        """The coordinate columns shared by every output dataset."""
        return {"kafka_topic": self.topic, "kafka_partition": self.partition, "kafka_offset": self.offset,
                "input_file": self.input_file, "input_line": self.input_line}

    def kafka_metadata(self) -> dict:
        """Key, headers and timestamp of a Kafka record (all null for a line of a file)."""
        if self.topic is None:
            return {"kafka_key": None, "kafka_headers": None, "kafka_timestamp": None}
        ms = self.timestamp_ms
        return {"kafka_key": self.key, "kafka_headers": [{"key": k, "value": v} for k, v in self.headers],
                "kafka_timestamp": _EPOCH + timedelta(milliseconds=ms) if ms is not None and ms >= 0 else None}

    def describe(self) -> str:
        if self.topic is not None:
            return f"{self.topic}[{self.partition}]@{self.offset}"
        return f"{self.input_file}:{self.input_line}"


@dataclass
class Article:
    """A validated input article."""
    article_id: str
    text: str
    title: Optional[str]
    url: Optional[str]
    source: Optional[str]
    published_at: Optional[datetime]
    record: SourceRecord
    sentences: list[str] = field(default_factory=list)
    version_id: str = ""   # id plus content: copies of an id with other content are other versions
    warnings: list[str] = field(default_factory=list)  # what was repaired in the input
    published_at_raw: Optional[str] = None        # published_at as the input gave it
    published_at_precision: Optional[str] = None  # year, month, day, time, or record (the Kafka time)
    cleaning: str = "standard"   # or "gentle": the fallback that keeps headline-like lines
    language: Optional[str] = None   # ISO 639-1, detected
    input_format: str = "text"       # or "html": the text was extracted from a raw page
    # The sentences the gate chose for the encoder (indices, article order); None: every sentence.
    encode_idx: Optional[list[int]] = None

    @property
    def encoder_input(self) -> list[str]:
        """What the encoder sees of the article."""
        if self.encode_idx is None:
            return self.sentences
        return [self.sentences[i] for i in self.encode_idx]


@dataclass
class EncodedArticle:
    article: Article
    embeddings: np.ndarray  # one L2-normalised row per sentence
    encoder_name: str


@dataclass
class AnalyzedArticle:
    article: Article
    embeddings: np.ndarray
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[int]]
    relevance: dict[str, np.ndarray]
    summary_idx: list[int]
    encoder_name: str
    classifier_name: str
    summarizer_name: str
    summary_text: Optional[str] = None  # set by an abstractive summarizer; else built from summary_idx
    # full: every sentence encoded; selected: the sentences the gate chose; gated: the gate found
    # nothing relevant (no model work); skipped_language: its language is not supported
    analysis: str = "full"

    @property
    def summary(self) -> str:
        if self.summary_text is not None:
            return self.summary_text
        return " ".join(self.article.sentences[i] for i in self.summary_idx)


@dataclass(frozen=True)
class DeadLetter:
    record: SourceRecord
    reason: str
    detail: str
    stage: str
    article_id: Optional[str] = None
