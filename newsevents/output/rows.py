"""Rows of the output datasets, built from the pipeline's elements to match ``newsevents.schemas``."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Optional

from newsevents import __version__
from newsevents.extraction.event_codes import event_columns
from newsevents.extraction.extract import EventFields
from newsevents.extraction.geography import country_name
from newsevents.records import ROW_SOURCE, AnalyzedArticle, DeadLetter, SourceRecord
from newsevents.schemas import PARTITION_COLUMN


def _provenance() -> dict:
    return {"processed_at": datetime.now(timezone.utc), "pipeline_version": __version__}


def _models(a: AnalyzedArticle) -> dict:
    return {"encoder_model": a.encoder_name, "classifier_model": a.classifier_name,
            "summarizer_model": a.summarizer_name}


def _article_ref(a: AnalyzedArticle) -> dict:
    art = a.article
    return {"title": art.title, "source": art.source, "url": art.url, "published_at": art.published_at}


def partition_value(day: Optional[object], fallback: Optional[datetime]) -> str:
    if day is not None:
        return day.isoformat()[:10]
    return (fallback or datetime.now(timezone.utc)).date().isoformat()


def event_id(version_id: str, event_type: str, key: str = "") -> str:
    """Deterministic: the same article version always yields the same id for the same event, whatever
    the batch or the order of reading; ``key`` tells an article's events of one type apart (the position
    and text of the event's first sentence)."""
    return hashlib.sha1(f"{version_id}\x1f{event_type}\x1f{key}".encode()).hexdigest()[:24]


def article_row(a: AnalyzedArticle) -> dict:
    art = a.article
    return {
        "article_id": art.article_id, **_article_ref(a), "summary": a.summary, "event_types": list(a.labels),
        **{f"score_{t}": float(s) for t, s in a.scores.items()},
        "n_sentences": len(art.sentences), "text_chars": len(art.text),
        **art.record.coordinates(), **_provenance(), **_models(a), **art.record.kafka_metadata(),
        "version_id": art.version_id, "input_warnings": art.warnings or None,
        "published_at_raw": art.published_at_raw, "published_at_precision": art.published_at_precision,
        "text_cleaning": art.cleaning, "language": art.language, "input_format": art.input_format,
        "analysis": a.analysis,
        PARTITION_COLUMN: partition_value(None, art.published_at), ROW_SOURCE: art.record,
    }


def event_row(a: AnalyzedArticle, event_type: str, summary: str, evidence: list[str], f: EventFields,
              key: str = "") -> dict:
    art = a.article
    row = {
        "event_id": event_id(art.version_id, event_type, key), "version_id": art.version_id,
        "article_id": art.article_id, "event_type": event_type,
        "confidence": float(a.scores[event_type]), "summary": summary, "evidence": evidence,
        "countries": [country_name(c) for c in f.countries], "country_codes": f.countries,
        "participants": [p.label for p in f.people], "locations": f.locations,
        "event_date": f.event_date, "event_date_text": f.event_date_text,
        "actor1_country": f.actor1_country, "actor2_country": f.actor2_country, "actors": f.actors,
        **_article_ref(a), **art.record.coordinates(), **_provenance(), **_models(a), **f.specific,
        PARTITION_COLUMN: partition_value(f.event_date, art.published_at), ROW_SOURCE: art.record,
    }
    return {**row, **event_columns(event_type, row)}


def _encodable(text: Optional[str]) -> Optional[str]:
    """A dead letter must always be writable: characters UTF-8 cannot hold become '?'."""
    return text if text is None else text.encode("utf-8", "replace").decode("utf-8")


def dead_letter_id(record: SourceRecord) -> str:
    """Deterministic: where the input came from plus its bytes."""
    coords = f"{record.topic}|{record.partition}|{record.offset}|{record.input_file}|{record.input_line}"
    return hashlib.sha1(coords.encode() + b"\0" + (record.value or b"")).hexdigest()[:24]


def dead_letter_row(d: DeadLetter) -> dict:
    record: SourceRecord = d.record
    received = (datetime.fromtimestamp(record.timestamp_ms / 1000, tz=timezone.utc)
                if record.timestamp_ms and record.timestamp_ms > 0 else None)
    return {
        "dead_letter_id": dead_letter_id(record), "raw": record.value, "raw_size": len(record.value or b""),
        "reason": d.reason, "detail": _encodable(d.detail), "stage": d.stage, "article_id": _encodable(d.article_id),
        **record.coordinates(), **_provenance(), **record.kafka_metadata(),
        PARTITION_COLUMN: partition_value(None, received),
    }
