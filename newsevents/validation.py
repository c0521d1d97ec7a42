"""Turns raw input bytes into an Article, or says precisely why it cannot."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from newsevents.records import Article, SourceRecord
from newsevents.schemas import INPUT_FIELDS, REQUIRED_INPUT_FIELDS
from newsevents.text import clean_article_text, split_sentences


@dataclass(frozen=True)
class InputLimits:
    max_message_bytes: int = 4 * 1024 * 1024
    max_text_chars: int = 200_000
    min_text_chars: int = 20


class Rejected(Exception):
    def __init__(self, reason: str, detail: str, article_id: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.article_id = reason, detail, article_id


# Lone UTF-16 surrogates: JSON may escape them ("\\ud800"), but UTF-8 cannot encode them, so the
# tokenizer and the Parquet writer would fail on them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# The fields whose content an article row and its events are made of: two copies of an id that
# differ in any of them are two versions of the article.
VERSIONED_FIELDS = ("text", "title", "url", "source", "published_at")


def repair_strings(obj: dict, warnings: list[str]) -> None:
    """Replaces lone surrogates in the input's string fields by U+FFFD, noting each field repaired."""
    for name in INPUT_FIELDS:
        value = obj.get(name)
        if isinstance(value, str) and _SURROGATE.search(value):
            count = len(_SURROGATE.findall(value))
            obj[name] = _SURROGATE.sub("\ufffd", value)
            warnings.append(f"{name}: {count} lone surrogate(s) replaced by U+FFFD")


def article_version(article_id: str, obj: dict) -> str:
    """Deterministic id of one version of an article: its id plus the content it was built from."""
    content = json.dumps([article_id, *(obj.get(k) for k in VERSIONED_FIELDS)], ensure_ascii=False)
    return hashlib.sha1(content.encode()).hexdigest()[:24]


def derive_article_id(obj: dict) -> str:
    """The input ``id`` when given, else a stable hash of the url, else of title and text."""
    if obj.get("id") not in (None, ""):
        return str(obj["id"])
    if obj.get("url"):
        return "url-" + hashlib.sha1(obj["url"].strip().encode()).hexdigest()[:20]
    basis = (obj.get("title") or "") + "\n" + obj["text"]
    return "txt-" + hashlib.sha1(basis.encode()).hexdigest()[:20]


def parse_timestamp(value: str) -> datetime:
    """ISO-8601 to an aware UTC datetime; a date or a naive time is taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def parse_article(record: SourceRecord, limits: InputLimits) -> Article:
    raw = record.value
    if raw is None:
        raise Rejected("empty_message", "the message has no value (null payload or tombstone)")
    if len(raw) > limits.max_message_bytes:
        raise Rejected("message_too_large", f"{len(raw)} bytes exceeds the limit of {limits.max_message_bytes}")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected("invalid_utf8", f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    if not decoded.strip():
        raise Rejected("empty_message", "the message is empty or whitespace")
    try:
        obj = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise Rejected("invalid_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise Rejected("invalid_json", "nesting too deep") from None
    if not isinstance(obj, dict):
        raise Rejected("not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    for name in REQUIRED_INPUT_FIELDS:
        if obj.get(name) is None:
            raise Rejected(f"missing_{name}", f"required field '{name}' is missing or null")
    for name, types in INPUT_FIELDS.items():
        value = obj.get(name)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            expected = " or ".join(t.__name__ for t in types)
            raise Rejected("wrong_type", f"field '{name}' must be {expected}, got {type(value).__name__}")
    warnings: list[str] = []
    repair_strings(obj, warnings)
    text = obj["text"]
    article_id = derive_article_id(obj)
    if len(text.strip()) < limits.min_text_chars:
        raise Rejected("text_too_short", f"text has {len(text.strip())} characters, fewer than "
                       f"{limits.min_text_chars}", article_id)
    if len(text) > limits.max_text_chars:
        raise Rejected("text_too_long", f"text has {len(text)} characters, more than {limits.max_text_chars}",
                       article_id)
    published_at = None
    if obj.get("published_at"):
        try:
            published_at = parse_timestamp(obj["published_at"])
        except ValueError:
            raise Rejected("invalid_published_at", f"published_at {obj['published_at'][:64]!r} is not ISO-8601",
                           article_id) from None
    elif record.timestamp_ms is not None and record.timestamp_ms >= 0:
        published_at = datetime.fromtimestamp(record.timestamp_ms / 1000, tz=timezone.utc)
    sentences = split_sentences(clean_article_text(text))
    if not sentences:
        raise Rejected("no_sentences", "no prose sentences remain after removing web boilerplate", article_id)
    return Article(article_id=article_id, text=text, title=obj.get("title"), url=obj.get("url"),
                   source=obj.get("source"), published_at=published_at, record=record, sentences=sentences,
                   version_id=article_version(article_id, obj), warnings=warnings)
